import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createHttpInstrumentation,
  fetchRequestBodyBytes,
  type HttpInstrumentation,
  isMetricsPath,
  nodeRequestBodyBytes,
  observeNodeResponses,
} from '@promenade/core/adapter';
import type { Context, MiddlewareHandler } from 'hono';
import { FetchExchange } from './fetch-exchange.js';
import { NodeExchange } from './node-exchange.js';
import type { HonoMetricsOptions, MetricsMiddleware } from './types.js';

const PACKAGE = '@promenade/hono';

/** What `@hono/node-server` hands Hono as `c.env`; absent on Bun, Deno and `app.request()`. */
interface NodeBindings {
  incoming?: IncomingMessage;
  outgoing?: ServerResponse;
}

/** Serves the metrics as a Fetch Response, on every runtime alike. */
async function serveMetrics(endpoint: HttpInstrumentation['endpoint'], c: Context): Promise<Response> {
  const headers = c.req.raw.headers;
  const result = await endpoint.respond({
    method: c.req.method,
    headers: {
      authorization: headers.get('authorization') ?? undefined,
      accept: headers.get('accept') ?? undefined,
      'accept-encoding': headers.get('accept-encoding') ?? undefined,
    },
  });
  return new Response(result.body as Uint8Array<ArrayBuffer>, {
    status: result.status,
    headers: result.headers,
  });
}

/**
 * Records every request that reaches it (404s, errors and clients that left included) into
 * Promenade's HTTP metrics and serves them on `metricsPath`. Install it first:
 * `app.use(metricsMiddleware())`. Options are validated here, once; an invalid option throws a
 * PromenadeError.
 */
export function metricsMiddleware(options?: HonoMetricsOptions): MetricsMiddleware {
  const {
    options: resolved,
    recorder,
    endpoint,
    metrics,
    failures,
  } = createHttpInstrumentation(options, {
    packageName: PACKAGE,
  });
  const { metricsPath } = resolved;
  const report = (error: unknown) => failures.report('recording a request failed', error);
  // Before the first request: on @hono/node-server the bytes and closes come from Node's response.
  observeNodeResponses();

  function start(c: Context): NodeExchange | FetchExchange {
    const { incoming, outgoing } = (c.env ?? {}) as NodeBindings;
    if (incoming !== undefined && outgoing !== undefined) {
      return new NodeExchange(c, incoming, outgoing, recorder, report, nodeRequestBodyBytes(incoming));
    }
    return new FetchExchange(c, recorder, report, fetchRequestBodyBytes(c.req.raw.headers));
  }

  const promenadeMetrics: MiddlewareHandler = async function promenadeMetrics(c, next) {
    if (metricsPath !== false && isMetricsPath(c.req.path, metricsPath)) {
      // Scrapes are not application traffic: served here and not recorded.
      return serveMetrics(endpoint, c);
    }
    let exchange: NodeExchange | FetchExchange | undefined;
    try {
      exchange = start(c);
    } catch (error) {
      report(error);
    }
    try {
      await next();
    } finally {
      if (exchange !== undefined) routed(c, exchange);
    }
  };

  function routed(c: Context, exchange: NodeExchange | FetchExchange): void {
    try {
      // Hono hands a thrown error to its onError and keeps it as `c.error`.
      const route = exchange.routed();
      if (c.error !== undefined) recorder.recordException(c.req.method, route, c.error);
    } catch (error) {
      report(error);
    }
  }

  return Object.assign(promenadeMetrics, { metrics });
}
