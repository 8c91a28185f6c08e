import type { ArgumentsHost } from '@nestjs/common';
import { noteExpressError } from '@promenade/core/adapter';
import { logger, reportRecordingFailure } from './logger.js';

/**
 * Counts what a route raises (its guards, pipes, interceptors and handler, and errors Nest's
 * exception layer maps from Express middleware such as a body parser), by error type, as
 * django-prometheus counts the exceptions its views raise.
 *
 * Nest hands every such error to the route's ExceptionsHandler, which picks the exception
 * filter. Its `next` is wrapped, once per copy of @nestjs/core: the error is counted, then goes
 * on unchanged to the filters, which decide the response. A global interceptor would see
 * handler errors only (not a guard's), and Nest builds an rxjs pipeline for every request of
 * an application that has one, a cost every request pays. This costs nothing until something
 * throws. An exception filter could not do it: Nest runs one
 * filter per error, so a catch-all of ours would take the errors from the application's own.
 *
 * ExceptionsHandler is not part of @nestjs/core's public entry: it is reached by a deep import,
 * loaded when the module configures itself rather than when this file is imported. Should a
 * release of Nest move the file, importing Promenade still works and so does every other
 * metric: the module says once that route exceptions cannot be counted, and
 * `http_exceptions_total` stays empty.
 */

/** Where ExceptionsHandler lives in @nestjs/core 11 and 12. */
export const EXCEPTIONS_HANDLER_MODULE = '@nestjs/core/exceptions/exceptions-handler.js';

/** Where a request's route exceptions are counted: the instrumentation that serves it. */
export interface RouteExceptionSink {
  recordRouteException(request: object, error: unknown): void;
}

/**
 * On a Fastify instance of the Fastify platform (a decoration): its sink. Read from the
 * request's `server` when an error is raised, so a request that raises none pays nothing.
 */
export const kRouteExceptionSink = Symbol('promenade.routeExceptionSink');

interface FastifyRequestOfSink {
  readonly server?: { readonly [kRouteExceptionSink]?: RouteExceptionSink };
}

/**
 * A Fastify request's instance carries its sink; an Express request's error is noted on it in
 * core's table of requests in flight, and counted under its final route when it closes.
 */
function recordRouteException(request: object, error: unknown): void {
  const sink = (request as FastifyRequestOfSink).server?.[kRouteExceptionSink];
  if (sink !== undefined) sink.recordRouteException(request, error);
  else noteExpressError(request, error);
}

const kCaptured = Symbol('promenade.routeExceptionsCaptured');

interface Capturable {
  next(exception: unknown, host: ArgumentsHost): void;
  [kCaptured]?: true;
}

function wrapNext(prototype: Capturable): void {
  if (prototype[kCaptured] === true) return;
  const forward = prototype.next;
  Object.defineProperty(prototype, 'next', {
    value: function next(this: unknown, exception: unknown, host: ArgumentsHost): void {
      try {
        const request: unknown = host.getArgByIndex(0);
        if (typeof request === 'object' && request !== null) {
          recordRouteException(request, exception);
        }
      } catch (error) {
        reportRecordingFailure(error);
      }
      forward.call(this, exception, host);
    },
    writable: true,
    configurable: true,
  });
  Object.defineProperty(prototype, kCaptured, { value: true });
}

function cannotCount(reason: string): void {
  logger.warn(
    `route exceptions are not counted (http_exceptions_total stays empty): ${reason}. Every other metric is recorded.`,
  );
}

/** Loads and wraps ExceptionsHandler, once per process. */
let capturing: Promise<void> | undefined;

/**
 * Wraps ExceptionsHandler's `next`, once; requests no Promenade instrumentation serves pass
 * through. Never rejects: when the handler cannot be found, it warns once and goes on.
 */
export function captureRouteExceptions(): Promise<void> {
  capturing ??= import(EXCEPTIONS_HANDLER_MODULE).then(
    (loaded: { ExceptionsHandler?: { prototype?: Partial<Capturable> } }) => {
      const prototype = loaded.ExceptionsHandler?.prototype;
      if (typeof prototype?.next !== 'function') {
        cannotCount(`${EXCEPTIONS_HANDLER_MODULE} no longer exports ExceptionsHandler with a next() method`);
        return;
      }
      wrapNext(prototype as Capturable);
    },
    (error: unknown) => {
      cannotCount(
        `${EXCEPTIONS_HANDLER_MODULE} could not be loaded (${error instanceof Error ? error.message : String(error)})`,
      );
    },
  );
  return capturing;
}
