import {
  CLIENT_CLOSED_REQUEST,
  type HttpRecorder,
  requestBodyBytes,
  responseBodyBytes,
  trackResponseBytes,
  UNMATCHED_ROUTE,
} from '@promenade/core';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

/**
 * Per-request state lives in two fields the plugin declares on every request (so all
 * requests share one shape) instead of in a closure or an object per request. Requests of a
 * context created before the plugin was loaded lack the declarations: there the fields start
 * undefined, which every check below treats like null.
 *
 * kStartTime: null until timing starts, the start time while the request is timed, and
 * FINISHED once it is recorded or its route opted out. Whichever of onResponse and
 * onRequestAbort comes first records the request; the other finds FINISHED and does nothing.
 */
export const kStartTime = Symbol('promenade.startTime');
/** The route label of the request being timed. */
export const kRoute = Symbol('promenade.route');

const FINISHED = -1;

interface TimedRequest extends FastifyRequest {
  [kStartTime]: number | null | undefined;
  [kRoute]: string | null | undefined;
}

export interface RequestHooks {
  onRequest(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void;
  onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown, done: SendDone): void;
  onResponse(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void;
  onError(request: FastifyRequest, reply: FastifyReply, error: Error, done: () => void): void;
  onRequestAbort(request: FastifyRequest, done: HookHandlerDoneFunction): void;
}

type SendDone = (error: Error | null, payload: unknown) => void;

/** The route template (prefix included), UNMATCHED_ROUTE for a 404, undefined when opted out. */
function routeLabel(request: FastifyRequest): string | undefined {
  const { url, config } = request.routeOptions;
  if (config?.metrics?.exclude === true) return undefined;
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
   * Starts timing, `lateBy` milliseconds in the past. A request whose onRequest never ran
   * (an earlier hook answered it) is started late from Fastify's own clock of the reply.
   */
  function begin(request: TimedRequest, lateBy: number): void {
    const route = routeLabel(request);
    if (route === undefined) {
      request[kStartTime] = FINISHED;
      return;
    }
    request[kRoute] = route;
    request[kStartTime] = recorder.startRequest() - lateBy;
  }

  function finish(request: TimedRequest, statusCode: number, bytesSent: number): void {
    const startTime = request[kStartTime];
    if (startTime == null || startTime === FINISHED) return;
    request[kStartTime] = FINISHED;
    recorder.finishRequest(
      request.method,
      request[kRoute]!,
      statusCode,
      startTime,
      requestBodyBytes(request.raw.headers),
      bytesSent,
    );
  }

  return {
    onRequest(request, _reply, done) {
      try {
        // Already FINISHED when the client left while an earlier hook was still running.
        if ((request as TimedRequest)[kStartTime] == null) begin(request as TimedRequest, 0);
      } catch (error) {
        logFailure(request, error);
      }
      done();
    },

    onSend(request, reply, payload, done) {
      try {
        const startTime = (request as TimedRequest)[kStartTime];
        // The NaN check keeps a response from being wrapped twice.
        if (startTime !== FINISHED && isStreamed(payload) && Number.isNaN(responseBodyBytes(reply.raw))) {
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
        if (timed[kStartTime] !== FINISHED) {
          if (timed[kStartTime] == null) begin(timed, reply.elapsedTime);
          finish(timed, reply.statusCode, responseBytes(reply));
        }
      } catch (error) {
        logFailure(request, error);
      }
      done();
    },

    onError(request, reply, error, done) {
      const timed = request as TimedRequest;
      try {
        if (timed[kStartTime] == null) begin(timed, reply.elapsedTime);
        const route = timed[kRoute];
        // The route is unset for a route that opted out.
        if (route != null) recorder.recordException(request.method, route, error);
      } catch (failure) {
        logFailure(request, failure);
      }
      done();
    },

    onRequestAbort(request, done) {
      const timed = request as TimedRequest;
      try {
        // Without the reply there is no earlier clock: a late start here has a duration of ~0.
        if (timed[kStartTime] == null) begin(timed, 0);
        // How much of a response reached the client is unknown, so no response size is observed.
        finish(timed, CLIENT_CLOSED_REQUEST, Number.NaN);
      } catch (error) {
        logFailure(request, error);
      }
      done();
    },
  };
}
