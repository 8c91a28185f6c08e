import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createHttpInstrumentation,
  inFlightRequestOf,
  isMetricsPath,
  trackInFlightRequest,
} from '@promenade/core/adapter';
import { observeErrors } from './error-capture.js';
import { hookExpress, isHooked } from './express-hooks.js';
import { RequestState } from './request-state.js';
import type { ExpressMetricsOptions, MetricsMiddleware } from './types.js';

const PACKAGE = '@promenade/express';

function logFailure(error: unknown): void {
  console.error(`${PACKAGE}: recording a request failed`, error);
}

/** The app a request is being served by, read from its prototype (`app.request`), not from the request. */
function appOf(req: IncomingMessage): unknown {
  return (Object.getPrototypeOf(req) as { app?: unknown } | null)?.app;
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
  } = createHttpInstrumentation(options, {
    packageName: PACKAGE,
  });
  const { metricsPath } = resolved;

  // Called by core when the response closes: after 'finish' when it completed, or when the
  // client went away before that.
  function record(state: RequestState): void {
    try {
      const method = state.req.method ?? '';
      if (state.errors !== undefined) {
        for (const error of state.errors) recorder.recordException(method, state.template, error);
      }
      state.recordInto(recorder, state.template);
    } catch (error) {
      logFailure(error);
    }
  }

  function start(req: IncomingMessage, res: ServerResponse): void {
    const hooked = isHooked(req) || hookExpress(req, res);
    if (hooked) observeErrors(appOf(req));
    const state = new RequestState(req, res, recorder.startRequest(), record);
    // Outside an Express app nothing counts the body: its size is unknown, not 0.
    if (!hooked) state.responseBytes = Number.NaN;
    // Express's response prototype reports the close itself; any other response needs a listener.
    trackInFlightRequest(state, !hooked);
  }

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
    // A request already tracked (by a Promenade middleware of a parent app) is left to it.
    if (inFlightRequestOf(res) === undefined) {
      try {
        start(req, res);
      } catch (error) {
        logFailure(error);
      }
    }
    next();
  }

  return Object.assign(promenadeMetrics, { metrics });
}
