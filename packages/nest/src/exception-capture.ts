import type { ArgumentsHost } from '@nestjs/common';
import { ExceptionsHandler } from '@nestjs/core/exceptions/exceptions-handler.js';
import { inFlightRequestOf } from '@promenade/core';
import { reportRecordingFailure } from './logger.js';

/**
 * Counts what a route raises (its guards, pipes, interceptors and handler, and errors Nest's
 * exception layer maps from Express middleware such as a body parser), by error type, as
 * django-prometheus counts the exceptions its views raise.
 *
 * Nest hands every such error to the route's ExceptionsHandler, which picks the exception
 * filter. Its `next` is wrapped, once per copy of @nestjs/core: the error is counted, then goes
 * on unchanged to the filters, which decide the response. A global interceptor would see
 * handler errors only (not a guard's), and Nest builds an rxjs pipeline for every request of
 * an application that has one: it cost 8 to 11% of a request on the Express platform. This
 * costs nothing until something throws. An exception filter could not do it: Nest runs one
 * filter per error, so a catch-all of ours would take the errors from the application's own.
 */

/** Where a request's route exceptions are counted: the instrumentation that serves it. */
export interface RouteExceptionSink {
  recordRouteException(request: object, error: unknown): void;
}

/** On requests of the Fastify platform (a declared decoration): their sink, or null. */
export const kRouteExceptionSink = Symbol('promenade.routeExceptionSink');

interface WithSink {
  [kRouteExceptionSink]?: RouteExceptionSink | null;
}

function isSink(value: unknown): value is RouteExceptionSink {
  return typeof (value as Partial<RouteExceptionSink> | undefined)?.recordRouteException === 'function';
}

/** Fastify requests carry their sink; Express requests are found in core's in-flight table. */
function sinkOf(request: object): RouteExceptionSink | undefined {
  const decorated = (request as WithSink)[kRouteExceptionSink];
  if (decorated) return decorated;
  const inFlight = inFlightRequestOf(request);
  return isSink(inFlight) ? inFlight : undefined;
}

const kCaptured = Symbol('promenade.routeExceptionsCaptured');

interface Capturable {
  next(exception: unknown, host: ArgumentsHost): void;
  [kCaptured]?: true;
}

/** Wraps ExceptionsHandler's `next`, once; requests no Promenade instrumentation serves pass through. */
export function captureRouteExceptions(): void {
  const prototype = ExceptionsHandler.prototype as unknown as Capturable;
  if (prototype[kCaptured] === true) return;
  const forward = prototype.next;
  Object.defineProperty(prototype, 'next', {
    value: function next(this: unknown, exception: unknown, host: ArgumentsHost): void {
      try {
        const request: unknown = host.getArgByIndex(0);
        if (typeof request === 'object' && request !== null) {
          sinkOf(request)?.recordRouteException(request, exception);
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
