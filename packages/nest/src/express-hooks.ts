import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AbstractHttpAdapter } from '@nestjs/core';
import {
  ExpressLifecycle,
  type HttpInstrumentation,
  isMetricsPath,
  markExpressNotFound,
} from '@promenade/core/adapter';

type Next = (error?: unknown) => void;

interface ExpressApp {
  use(handler: (req: IncomingMessage, res: ServerResponse, next: Next) => void): unknown;
}

/**
 * The Express side: core's Express lifecycle, started by one raw middleware on the underlying
 * app. It is added as soon as Nest creates the adapter, before Nest's body parsers, middleware
 * and routes, so every request passes through it: rejected by a parser, a guard or a pipe,
 * unmatched, or served. Route exceptions are noted on the request by exception-capture.ts.
 */
export function instrumentExpressPlatform(
  adapter: AbstractHttpAdapter,
  instrumentation: HttpInstrumentation,
  countsExceptions: boolean,
): void {
  const { recorder, endpoint, options, failures } = instrumentation;
  const { metricsPath } = options;
  const lifecycle = new ExpressLifecycle({
    recorder,
    failures,
    countErrors: countsExceptions,
  });

  adapter.getInstance<ExpressApp>().use(function promenadeHttpMetrics(req, res, next) {
    if (metricsPath !== false && isMetricsPath(req.url, metricsPath)) {
      // Served here, ahead of Nest: no global prefix, no guard, not counted as traffic. The
      // endpoint never rejects: it reports a failed scrape itself and answers 500.
      void endpoint(req, res);
      return;
    }
    lifecycle.start(req, res);
    next();
  });

  // Nest registers its not-found handler at init(), after this runs. With a global prefix that
  // handler is itself a route (`*path` under the prefix), so `req.route` alone cannot tell a
  // miss from a match: what reaches it is marked.
  const setNotFoundHandler = adapter.setNotFoundHandler.bind(adapter) as (...args: unknown[]) => unknown;
  adapter.setNotFoundHandler = (handler: Function, ...rest: unknown[]) =>
    setNotFoundHandler(
      (req: IncomingMessage, res: ServerResponse, next: Next) => {
        markExpressNotFound(req);
        return handler(req, res, next);
      },
      ...rest,
    );
}
