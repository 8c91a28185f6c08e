import { connect, type Socket } from 'node:net';
import { register as globalRegistry, type Registry } from 'prom-client';
import { optionError } from '../errors.js';
import { httpOptionShape } from '../options/http-options.js';
import {
  checkOptions,
  isNonEmptyString,
  isPositiveInteger,
  type OptionShape,
} from '../options/option-rules.js';
import { CHANNEL } from './protocol.js';
import { readLines, writeLine } from './socket-lines.js';
import { type ClusterWorkerReport, type ReporterTransport, sharedReporter } from './worker-reporter.js';

const PACKAGE = '@promenade/core';

export interface SocketReportOptions {
  /** The socket the aggregator listens on (`startSocketAggregator({ path })`). */
  path: string;
  /** Default: prom-client's global registry, the one the adapters use by default. */
  registry?: Registry;
  /** How long to wait before connecting again when the aggregator is not there. Default: 1000 ms. */
  retryMs?: number;
}

const socketReportShape: OptionShape = {
  path: isNonEmptyString,
  registry: httpOptionShape.registry!,
  retryMs: isPositiveInteger,
};

/**
 * A connection to the aggregator that comes back: the aggregator may start after the instances
 * or be restarted. Each connection is a new aggregator as far as the reporter knows, so it is
 * handed a `probe` and names every series again.
 */
function socketTransport(path: string, retryMs: number): ReporterTransport {
  let socket: Socket | undefined;
  let retry: NodeJS.Timeout | undefined;
  let listening = false;
  const open = (onMessage: (message: unknown) => void) => {
    const current = connect(path);
    socket = current;
    // Reporting never keeps the application alive.
    current.unref();
    current.once('connect', () => onMessage({ channel: CHANNEL, kind: 'probe' }));
    readLines(current, onMessage);
    current.on('error', () => {});
    current.once('close', () => {
      if (socket !== current || !listening) return;
      socket = undefined;
      retry = setTimeout(() => open(onMessage), retryMs);
      retry.unref();
    });
  };
  return {
    listen(onMessage) {
      listening = true;
      open(onMessage);
    },
    unlisten() {
      listening = false;
      clearTimeout(retry);
      socket?.destroy();
      socket = undefined;
    },
    send(message) {
      if (socket && !socket.connecting) writeLine(socket, message);
    },
  };
}

const reporters = new Map<string, (registry: Registry) => ClusterWorkerReport>();

/**
 * Lets the aggregator listening on `path` (`startSocketAggregator`) read `registry`: the one
 * call in each instance of a PM2 cluster-mode app. It connects in the background and keeps
 * trying while the aggregator is away; nothing it does throws into the application.
 */
export function reportToSocketAggregator(options: SocketReportOptions): ClusterWorkerReport {
  checkOptions(options, socketReportShape, PACKAGE);
  if (options?.path === undefined) throw optionError(PACKAGE, 'path', 'is required', undefined);
  const { path } = options;
  let report = reporters.get(path);
  if (!report) {
    const retryMs = options.retryMs ?? 1000;
    report = sharedReporter(() => socketTransport(path, retryMs));
    reporters.set(path, report);
  }
  return report(options.registry ?? globalRegistry);
}
