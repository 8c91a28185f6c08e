import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { register as globalRegistry, type Registry } from 'prom-client';
import type { AggregatingRegistry } from '../cluster/aggregating-registry.js';
import { type ClusterAggregatorOptions, startClusterAggregator } from '../cluster/cluster-aggregator.js';
import {
  type SocketAggregatorOptions,
  socketAggregatorShape,
  startSocketAggregator,
} from '../cluster/socket-aggregator.js';
import { optionError } from '../errors.js';
import { createMetricsEndpoint } from '../exposition/metrics-endpoint.js';
import { isMetricsPath } from '../exposition/metrics-path.js';
import { warnIfOpenInProduction } from '../exposition/open-endpoint-warning.js';
import { createFailureReporter } from '../failures/failure-reporter.js';
import { httpOptionShape, type MetricsAuth, resolveAuth } from '../options/http-options.js';
import {
  checkOptions,
  isNonEmptyString,
  isPositiveInteger,
  isUrlPath,
  nested,
  type OptionCheck,
  type OptionShape,
} from '../options/option-rules.js';

const PACKAGE = '@promenade/core';

export interface MetricsServerOptions {
  /** Port to listen on; 0 picks a free one. Default: 9464. */
  port?: number;
  /**
   * Default: 127.0.0.1, so the metrics are not exposed to the network by accident. Give `0.0.0.0`
   * (or `::`) when Prometheus scrapes from another host or pod.
   */
  host?: string;
  /** Default: prom-client's global registry. */
  registry?: Registry;
  /** Default: `/metrics`. */
  metricsPath?: string;
  /** Same as the adapters' `auth`, environment variables included. */
  auth?: MetricsAuth | false;
  /**
   * In a `node:cluster` primary: serve the whole cluster, every worker's metrics aggregated
   * (`registry` is then the primary's own). `true` for the defaults, or the aggregator's
   * `{ timeoutMs, refreshIntervalMs, fullRefreshIntervalMs }`.
   */
  cluster?: boolean | Omit<ClusterAggregatorOptions, 'registry'>;
  /** Same as the adapters' `createdLines`: `_created` samples on OpenMetrics pages. Default: false. */
  createdLines?: boolean;
  /**
   * Serve every process that reports to this socket (`reportToSocketAggregator`), aggregated:
   * the metrics process of a PM2 cluster-mode app. `registry` is then this process's own.
   */
  socket?: Omit<SocketAggregatorOptions, 'registry'>;
}

const LOOPBACK = '127.0.0.1';

const isPort: OptionCheck = (value, { packageName, path }) => {
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 65535) {
    throw optionError(packageName, path, 'must be an integer from 0 to 65535', value);
  }
};

/** `registry` and `auth` take the adapters' own checks, so a mistake reads the same in both. */
const metricsServerShape: OptionShape = {
  port: isPort,
  host: isNonEmptyString,
  registry: httpOptionShape.registry!,
  metricsPath: isUrlPath,
  auth: httpOptionShape.auth!,
  createdLines: httpOptionShape.createdLines!,
  cluster: (value, context) => {
    if (typeof value !== 'boolean')
      nested({
        timeoutMs: isPositiveInteger,
        refreshIntervalMs: isPositiveInteger,
        fullRefreshIntervalMs: isPositiveInteger,
      })(value, context);
  },
  socket: (value, context) => {
    const { registry: _registry, ...shape } = socketAggregatorShape;
    nested(shape)(value, context);
    if ((value as { path?: unknown }).path === undefined) {
      throw optionError(context.packageName, `${context.path}.path`, 'is required', undefined);
    }
  },
};

export interface MetricsServer {
  readonly server: Server;
  /** Where to open the metrics: `localhost` stands for an address that means all interfaces. */
  readonly url: string;
  stop(): Promise<void>;
}

/** A host for the server's URL: one a browser can open, where `0.0.0.0` or `::` cannot be. */
function urlHost(address: string): string {
  if (address === '0.0.0.0' || address === '::') return 'localhost';
  return address.includes(':') ? `[${address}]` : address;
}

/**
 * Serves `/metrics` on a port of its own, away from application traffic, as
 * django-prometheus's PROMETHEUS_METRICS_EXPORT_PORT does.
 */
export async function startMetricsServer(options: MetricsServerOptions = {}): Promise<MetricsServer> {
  checkOptions(options, metricsServerShape, PACKAGE);
  const metricsPath = options.metricsPath ?? '/metrics';
  const registry = options.registry ?? globalRegistry;
  const auth = resolveAuth(options.auth, PACKAGE);
  warnIfOpenInProduction({ packageName: PACKAGE, metricsPath, authOption: options.auth, resolvedAuth: auth });
  if (options.cluster && options.socket) {
    throw optionError(PACKAGE, 'socket', 'cannot be given with "cluster"', options.socket);
  }
  let aggregator: AggregatingRegistry | undefined;
  if (options.cluster) {
    aggregator = startClusterAggregator({ ...(options.cluster === true ? {} : options.cluster), registry });
  } else if (options.socket) {
    aggregator = await startSocketAggregator({ ...options.socket, registry });
  }
  const failures = createFailureReporter((message, error) => console.error(`${PACKAGE}: ${message}`, error));
  const endpoint = createMetricsEndpoint({
    registry: aggregator ?? registry,
    auth,
    onError: (error) => failures.report('metrics collection failed', error),
    createdLines: options.createdLines ?? false,
  });
  const server = createServer((req, res) => {
    if (isMetricsPath(req.url, metricsPath)) {
      void endpoint(req, res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not Found\n');
  });
  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error) => {
      aggregator?.stop();
      reject(error);
    };
    server.once('error', failed);
    server.listen(options.port ?? 9464, options.host ?? LOOPBACK, () => {
      server.off('error', failed);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${urlHost(address)}:${port}${metricsPath}`,
    stop: () => {
      aggregator?.stop();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
