import { CLIENT_CLOSED_REQUEST, UNMATCHED_ROUTE } from '@promenade/core';
import {
  type HttpRecorder,
  requestBodyBytes,
  responseBodyBytes,
  trackResponseBytes,
} from '@promenade/core/adapter';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

/**
 * Per-request state lives in two fields the plugin declares on every request (so all
 * requests share one shape) instead of in a closure or an object per request. Requests of a
 * context created before the plugin was loaded lack the declarations: there the fields start
 * undefined, which every check below treats like null.
 *
 * kRoute: null until the request is seen, then its route label, or false when its route
 * opted out.
 */
export const kRoute = Symbol('promenade.route');
/**
 * kTimer: while the request is in flight, what times it (its reply: Fastify already clocks
 * every reply once an onResponse hook exists, so the plugin reads no clock of its own); null
 * once recorded. Whichever of onResponse and onRequestAbort comes first records the request;
 * the other finds null and does nothing.
 */
export const kTimer = Symbol('promenade.timer');

interface Timer {
  /** Milliseconds since the request was routed, up to its response's last byte. */
  readonly elapsedTime: number;
}

interface TimedRequest extends FastifyRequest {
  [kRoute]: string | false | null | undefined;
  [kTimer]: Timer | null | undefined;
}

/** For a request first seen when its client left: no reply at hand, so no duration. */
const UNTIMED: Timer = { elapsedTime: 0 };

export interface RequestHooks {
  onRequest(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void;
  onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown, done: SendDone): void;
  onResponse(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void;
  onError(request: FastifyRequest, reply: FastifyReply, error: Error, done: () => void): void;
  onRequestAbort(request: FastifyRequest, done: HookHandlerDoneFunction): void;
}

type SendDone = (error: Error | null, payload: unknown) => void;

/** The route template (prefix included), UNMATCHED_ROUTE for a 404, false when opted out. */
function routeLabel(request: FastifyRequest): string | false {
  const { url, config } = request.routeOptions;
  if (config?.metrics?.exclude === true) return false;
  return url ?? UNMATCHED_ROUTE;
}

/** Buffered payloads get a Content-Length from Fastify; anything else (a stream) is counted. */
function isStreamed(payload: unknown): boolean {
  return typeof payload === 'object' && payload !== null && !ArrayBuffer.isView(payload);
}

function responseBytes(reply: FastifyReply): number {
  const length = reply.getHeader('content-length');
  return length === undefined ? responseBodyBytes(reply.raw) : Number(length);
}

function logFailure(request: FastifyRequest, error: unknown): void {
  request.log.error({ err: error }, '@promenade/fastify: recording a request failed');
}

/**
 * The hooks that turn a Fastify request into facts for core's recorder. They are created
 * once per plugin registration; per request they only read and write the two fields above.
 */
export function createRequestHooks(recorder: HttpRecorder): RequestHooks {
  /**
   * Usually called from onRequest. A request whose onRequest never ran (an earlier hook
   * answered it) is begun when it ends; its reply has timed it from the start all the same.
   */
  function begin(request: TimedRequest, timer: Timer): void {
    const route = routeLabel(request);
    request[kRoute] = route;
    if (route === false) return;
    request[kTimer] = timer;
    recorder.startFrameworkTimedRequest();
  }

  function finish(request: TimedRequest, statusCode: number, bytesSent: number): void {
    const timer = request[kTimer];
    if (timer == null) return;
    request[kTimer] = null;
    recorder.finishFrameworkTimedRequest(
      request.method,
      request[kRoute] as string,
      statusCode,
      timer.elapsedTime / 1000,
      requestBodyBytes(request.raw.headers),
      bytesSent,
    );
  }

  return {
    onRequest(request, reply, done) {
      try {
        // Already seen when the client left while an earlier hook was still running.
        if ((request as TimedRequest)[kRoute] == null) begin(request as TimedRequest, reply);
      } catch (error) {
        logFailure(request, error);
      }
      done();
    },

    onSend(request, reply, payload, done) {
      try {
        // The NaN check keeps a response from being wrapped twice.
        if (
          (request as TimedRequest)[kTimer] != null &&
          isStreamed(payload) &&
          Number.isNaN(responseBodyBytes(reply.raw))
        ) {
          trackResponseBytes(reply.raw);
        }
      } catch (error) {
        logFailure(request, error);
      }
      done(null, payload);
    },

    onResponse(request, reply, done) {
      const timed = request as TimedRequest;
      try {
        if (timed[kRoute] == null) begin(timed, reply);
        if (timed[kTimer] != null) finish(timed, reply.statusCode, responseBytes(reply));
      } catch (error) {
        logFailure(request, error);
      }
      done();
    },

    onError(request, reply, error, done) {
      const timed = request as TimedRequest;
      try {
        if (timed[kRoute] == null) begin(timed, reply);
        const route = timed[kRoute];
        if (typeof route === 'string') recorder.recordException(request.method, route, error);
      } catch (failure) {
        logFailure(request, failure);
      }
      done();
    },

    onRequestAbort(request, done) {
      const timed = request as TimedRequest;
      try {
        if (timed[kRoute] == null) begin(timed, UNTIMED);
        // How much of a response reached the client is unknown, so no response size is observed.
        finish(timed, CLIENT_CLOSED_REQUEST, Number.NaN);
      } catch (error) {
        logFailure(request, error);
      }
      done();
    },
  };
}
