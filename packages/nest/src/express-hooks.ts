import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AbstractHttpAdapter } from '@nestjs/core';
import {
  CLIENT_CLOSED_REQUEST,
  type HttpInstrumentation,
  requestBodyBytes,
  responseBodyBytes,
  trackResponseBytes,
} from '@promenade/core';
import { reportRecordingFailure } from './logger.js';
import { type ExpressRoutedRequest, expressRouteTemplate, markNotFound } from './route-template.js';

type Request = IncomingMessage & ExpressRoutedRequest;
type Next = (error?: unknown) => void;

interface ExpressApp {
  use(handler: (req: Request, res: ServerResponse, next: Next) => void): unknown;
}

function pathOf(url: string | undefined): string {
  if (url === undefined) return '';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

function trackRequest(instrumentation: HttpInstrumentation, req: Request, res: ServerResponse): void {
  const { recorder } = instrumentation;
  const start = recorder.startRequest();
  trackResponseBytes(res);
  let recorded = false;
  const finish = (aborted: boolean): void => {
    if (recorded) return;
    recorded = true;
    try {
      recorder.finishRequest(
        req.method ?? '',
        expressRouteTemplate(req),
        aborted ? CLIENT_CLOSED_REQUEST : res.statusCode,
        start,
        requestBodyBytes(req.headers),
        aborted ? Number.NaN : responseBodyBytes(res),
      );
    } catch (error) {
      reportRecordingFailure(error);
    }
  };
  res.once('finish', () => finish(false));
  // 'close' without 'finish': the client went away before the response was complete.
  res.once('close', () => finish(!res.writableFinished));
}

/**
 * The Express side: one raw middleware on the underlying app. It is added as soon as Nest
 * creates the adapter, before Nest's body parsers, middleware and routes, so every request
 * passes through it: rejected by a parser, a guard or a pipe, unmatched, or served. The route
 * template is read when the response ends, from the route Express matched.
 */
export function instrumentExpress(adapter: AbstractHttpAdapter, instrumentation: HttpInstrumentation): void {
  const { endpoint, options } = instrumentation;
  const metricsPath = options.metricsPath;
  adapter.getInstance<ExpressApp>().use(function promenadeHttpMetrics(req, res, next) {
    if (metricsPath !== false && pathOf(req.url) === metricsPath) {
      // Served here, ahead of Nest: no global prefix, no guard, not counted as traffic.
      endpoint(req, res).catch(next);
      return;
    }
    trackRequest(instrumentation, req, res);
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
