import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHttpInstrumentation, ExpressLifecycle, isMetricsPath } from '@promenade/core/adapter';
import { appOf, observeErrors } from './error-capture.js';
import type { ExpressMetricsOptions, MetricsMiddleware } from './types.js';

const PACKAGE = '@promenade/express';

/** A sub-app's error handlers are out of reach from its parent's routers: found on its first route. */
function observeSubAppErrors(req: IncomingMessage): void {
  observeErrors(appOf(req));
}

/**
 * Records every request that reaches it (404s and errors included) into Promenade's HTTP
 * metrics and serves them on `metricsPath`. Install it first: `app.use(metricsMiddleware())`.
 * Options are validated here, once; an invalid option throws a PromenadeError.
 */
export function metricsMiddleware(options?: ExpressMetricsOptions): MetricsMiddleware {
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
  // core's Express lifecycle: routes, body bytes, aborts and the recording when the response closes.
  const lifecycle = new ExpressLifecycle({
    recorder,
    failures,
    countErrors: true,
    onRouteFirstSeen: observeSubAppErrors,
  });

  function promenadeMetrics(
    req: IncomingMessage,
    res: ServerResponse,
    next: (error?: unknown) => void,
  ): void {
    if (metricsPath !== false && isMetricsPath(req.url, metricsPath)) {
      // Scrapes are not application traffic: served here and not recorded.
      void endpoint(req, res);
      return;
    }
    lifecycle.start(req, res);
    observeErrors(appOf(req));
    next();
  }

  return Object.assign(promenadeMetrics, { metrics });
}
