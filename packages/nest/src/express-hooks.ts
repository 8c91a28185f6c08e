import { type IncomingMessage, ServerResponse } from 'node:http';
import type { AbstractHttpAdapter } from '@nestjs/core';
import {
  frameworkPrototype,
  type HttpInstrumentation,
  type HttpRecorder,
  hookResponsePrototype,
  InFlightRequest,
  isMetricsPath,
  trackInFlightRequest,
} from '@promenade/core/adapter';
import type { RouteExceptionSink } from './exception-capture.js';
import { reportRecordingFailure } from './logger.js';
import {
  type ExpressRoutedRequest,
  expressRouteTemplate,
  isNotFound,
  markNotFound,
} from './route-template.js';

type Request = IncomingMessage & ExpressRoutedRequest;
type Next = (error?: unknown) => void;

interface ExpressApp {
  use(handler: (req: Request, res: ServerResponse, next: Next) => void): unknown;
  /** The prototype Express gives the app's responses. */
  response?: ServerResponse;
}

/**
 * A request of the Express platform while it is served, kept by core beside the request
 * rather than on it (see InFlightRequest). The route is read when the response closes, from
 * the route Express matched.
 */
class ExpressPlatformRequest extends InFlightRequest implements RouteExceptionSink {
  constructor(
    req: IncomingMessage,
    res: ServerResponse,
    startTime: number,
    private readonly recorder: HttpRecorder,
    private readonly countsExceptions: boolean,
  ) {
    super(req, res, startTime);
  }

  closed(): void {
    try {
      this.recordInto(this.recorder, expressRouteTemplate(this.req as Request));
    } catch (error) {
      reportRecordingFailure(error);
    }
  }

  /** Counts an exception a route raised, under the route Express matched; a miss raises none. */
  recordRouteException(_request: object, error: unknown): void {
    if (!this.countsExceptions || isNotFound(this.req)) return;
    this.recorder.recordException(this.req.method ?? '', expressRouteTemplate(this.req as Request), error);
  }
}

/**
 * The Express side: one raw middleware on the underlying app. It is added as soon as Nest
 * creates the adapter, before Nest's body parsers, middleware and routes, so every request
 * passes through it: rejected by a parser, a guard or a pipe, unmatched, or served. The route
 * template is read when the response closes, from the route Express matched.
 */
export function instrumentExpress(
  adapter: AbstractHttpAdapter,
  instrumentation: HttpInstrumentation,
  countsExceptions: boolean,
): void {
  const { recorder, endpoint, options } = instrumentation;
  const { metricsPath } = options;

  const app = adapter.getInstance<ExpressApp>();
  // Express's response prototype counts the bytes and reports the close of every response,
  // hooked once: a listener or a property per response costs far more in Express.
  const responsePrototype =
    app.response === undefined ? undefined : frameworkPrototype(app.response, ServerResponse.prototype);
  if (responsePrototype !== undefined) hookResponsePrototype(responsePrototype);

  app.use(function promenadeHttpMetrics(req, res, next) {
    if (metricsPath !== false && isMetricsPath(req.url, metricsPath)) {
      // Served here, ahead of Nest: no global prefix, no guard, not counted as traffic. The
      // endpoint never rejects: it reports a failed scrape itself and answers 500.
      void endpoint(req, res);
      return;
    }
    const request = new ExpressPlatformRequest(req, res, recorder.startRequest(), recorder, countsExceptions);
    // Without Express's prototype nothing counts the body: its size is unknown, not 0.
    if (responsePrototype === undefined) request.responseBytes = Number.NaN;
    trackInFlightRequest(request, responsePrototype === undefined);
    next();
  });

  // Nest registers its not-found handler at init(), after this runs: mark what reaches it.
  const setNotFoundHandler = adapter.setNotFoundHandler.bind(adapter) as (...args: unknown[]) => unknown;
  adapter.setNotFoundHandler = (handler: Function, ...rest: unknown[]) =>
    setNotFoundHandler(
      (req: Request, res: ServerResponse, next: Next) => {
        markNotFound(req);
        return handler(req, res, next);
      },
      ...rest,
    );
}
