import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AbstractHttpAdapter } from '@nestjs/core';
import {
  CLIENT_CLOSED_REQUEST,
  type HttpInstrumentation,
  installResponseByteCounter,
  type MetricsEndpoint,
  requestBodyBytes,
  responseBodyBytes,
  startResponseByteCount,
  trackResponseBytes,
} from '@promenade/core';
import { logger, reportRecordingFailure } from './logger.js';
import { type ExpressRoutedRequest, expressRouteTemplate, markNotFound } from './route-template.js';

type Request = IncomingMessage & ExpressRoutedRequest;
type Next = (error?: unknown) => void;

interface ExpressApp {
  use(handler: (req: Request, res: ServerResponse, next: Next) => void): unknown;
  /** The prototype Express gives the app's responses. */
  response?: ServerResponse;
}

/** On the response: when its request started. */
const kStartTime = Symbol('promenade.startTime');

interface TimedResponse extends ServerResponse {
  [kStartTime]: number;
  readonly req: Request;
}

/** Whether a request URL asks for the metrics path, with or without a query string. */
function isMetricsPath(url: string | undefined, metricsPath: string): boolean {
  if (url === metricsPath) return true;
  return (
    url !== undefined &&
    url.length > metricsPath.length &&
    url.charCodeAt(metricsPath.length) === 63 /* ? */ &&
    url.startsWith(metricsPath)
  );
}

function serveMetrics(endpoint: MetricsEndpoint, req: IncomingMessage, res: ServerResponse): void {
  endpoint(req, res).catch((error: unknown) => {
    logger.error('the metrics endpoint failed', error instanceof Error ? error.stack : error);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
}

/**
 * The Express side: one raw middleware on the underlying app. It is added as soon as Nest
 * creates the adapter, before Nest's body parsers, middleware and routes, so every request
 * passes through it: rejected by a parser, a guard or a pipe, unmatched, or served. The route
 * template is read when the response closes, from the route Express matched.
 */
export function instrumentExpress(adapter: AbstractHttpAdapter, instrumentation: HttpInstrumentation): void {
  const { recorder, endpoint, options } = instrumentation;
  const { metricsPath } = options;

  // One listener shared by all responses. A response emits 'close' once: after 'finish'
  // when it completed, or when the client went away before that (499).
  function onResponseClose(this: TimedResponse): void {
    try {
      const req = this.req;
      const completed = this.writableFinished;
      recorder.finishRequest(
        req.method ?? '',
        expressRouteTemplate(req),
        completed ? this.statusCode : CLIENT_CLOSED_REQUEST,
        this[kStartTime],
        requestBodyBytes(req.headers),
        // How much of an abandoned response reached the client is unknown: not observed.
        completed ? responseBodyBytes(this) : Number.NaN,
      );
    } catch (error) {
      reportRecordingFailure(error);
    }
  }

  const app = adapter.getInstance<ExpressApp>();
  // Bytes of responses without Content-Length (streams) are counted through the app's
  // response prototype, patched once: patching every response costs far more in Express.
  const countBytes = app.response === undefined ? trackResponseBytes : startResponseByteCount;
  if (app.response !== undefined) installResponseByteCounter(app.response);

  app.use(function promenadeHttpMetrics(req, res, next) {
    if (metricsPath !== false && isMetricsPath(req.url, metricsPath)) {
      // Served here, ahead of Nest: no global prefix, no guard, not counted as traffic.
      serveMetrics(endpoint, req, res);
      return;
    }
    (res as TimedResponse)[kStartTime] = recorder.startRequest();
    countBytes(res);
    res.on('close', onResponseClose);
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
