import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AbstractHttpAdapter } from '@nestjs/core';
import { CLIENT_CLOSED_REQUEST } from '@promenade/core';
import {
  type HttpInstrumentation,
  requestBodyBytes,
  responseBodyBytes,
  trackResponseBytes,
} from '@promenade/core/adapter';
import { kRouteExceptionSink, type RouteExceptionSink } from './exception-capture.js';
import { reportRecordingFailure } from './logger.js';
import { type FastifyRoutedRequest, fastifyRouteTemplate } from './route-template.js';

interface FastifyRequest extends FastifyRoutedRequest {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
}

interface FastifyReply {
  readonly statusCode: number;
  /** Milliseconds since Fastify took the request, before any onRequest hook ran. */
  readonly elapsedTime: number;
  readonly raw: ServerResponse;
  getHeader(name: string): unknown;
  code(statusCode: number): FastifyReply;
  headers(headers: Record<string, string>): FastifyReply;
  send(payload: Buffer): FastifyReply;
}

type Done = () => void;

/** On every request: null until timed, the start time while timed, RECORDED once recorded. */
const kStartTime = Symbol('promenade.startTime');
/** On every request: the route label, read once, when its timing starts. */
const kRoute = Symbol('promenade.route');
/** Whichever of onResponse and onRequestAbort comes first records; the other finds this. */
const RECORDED = -1;

interface TimedRequest extends FastifyRequest {
  [kStartTime]: number | null;
  [kRoute]: string | null;
  [kRouteExceptionSink]: RouteExceptionSink | null;
}

interface FastifyInstance {
  readonly supportedMethods: readonly string[];
  decorateRequest(name: symbol, value: null): unknown;
  addHook(
    name: 'onRequest' | 'onResponse',
    hook: (request: TimedRequest, reply: FastifyReply, done: Done) => void,
  ): unknown;
  addHook(name: 'onRequestAbort', hook: (request: TimedRequest, done: Done) => void): unknown;
  addHook(
    name: 'onSend',
    hook: (
      request: TimedRequest,
      reply: FastifyReply,
      payload: unknown,
      done: (error: null, payload: unknown) => void,
    ) => void,
  ): unknown;
  route(options: {
    method: readonly string[];
    url: string;
    exposeHeadRoute: boolean;
    handler: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;
  }): unknown;
}

/**
 * Fastify hands its headers to writeHead() at once, so the raw response never holds them:
 * the reply's own Content-Length, else what was counted of a streamed body.
 */
function replyBodyBytes(reply: FastifyReply): number {
  const length = reply.getHeader('content-length');
  return length === undefined ? responseBodyBytes(reply.raw) : Number(length);
}

function isStream(payload: unknown): boolean {
  return typeof (payload as { pipe?: unknown } | null)?.pipe === 'function';
}

/**
 * The Fastify side: hooks on the underlying instance, which Fastify runs for every route and
 * for the not-found handler. Timing starts in `onRequest`; the request is recorded in
 * `onResponse`, or in `onRequestAbort` as 499. A request that an earlier hook of Nest's (CORS,
 * CSRF, shutdown) answered before ours ran is started late, from Fastify's clock of the reply.
 */
export function instrumentFastify(
  adapter: AbstractHttpAdapter,
  instrumentation: HttpInstrumentation,
  countsExceptions: boolean,
): void {
  const { recorder, endpoint, options } = instrumentation;
  const { metricsPath } = options;
  const app = adapter.getInstance<FastifyInstance>();

  // Nest's not-found handler raises a NotFoundException for every miss: a miss is not counted.
  const exceptionSink: RouteExceptionSink | null = countsExceptions
    ? {
        recordRouteException(request, error) {
          const timed = request as TimedRequest;
          if (timed.is404 || timed[kRoute] === null) return;
          recorder.recordException(timed.method, timed[kRoute], error);
        },
      }
    : null;

  /** Starts timing `lateBy` ms in the past; scrapes are not traffic, and are never timed. */
  function begin(request: TimedRequest, lateBy: number): void {
    const route = fastifyRouteTemplate(request);
    if (route === metricsPath) {
      request[kStartTime] = RECORDED;
      return;
    }
    request[kRoute] = route;
    request[kRouteExceptionSink] = exceptionSink;
    request[kStartTime] = recorder.startRequest() - lateBy;
  }

  function finish(request: TimedRequest, status: number, responseBytes: number): void {
    const start = request[kStartTime];
    if (start === null || start === RECORDED) return;
    request[kStartTime] = RECORDED;
    recorder.finishRequestStartedAt(
      request.method,
      request[kRoute]!,
      status,
      start,
      requestBodyBytes(request.headers),
      responseBytes,
    );
  }

  // Declared up front, so every request has one shape.
  app.decorateRequest(kStartTime, null);
  app.decorateRequest(kRoute, null);
  app.decorateRequest(kRouteExceptionSink, null);
  app.addHook('onRequest', (request, _reply, done) => {
    try {
      begin(request, 0);
    } catch (error) {
      reportRecordingFailure(error);
    }
    done();
  });
  // Only a streamed body without Content-Length needs its bytes counted as they are written.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (
      request[kStartTime] !== RECORDED &&
      isStream(payload) &&
      reply.getHeader('content-length') === undefined
    ) {
      trackResponseBytes(reply.raw);
    }
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    try {
      if (request[kStartTime] === null) begin(request, reply.elapsedTime);
      finish(request, reply.statusCode, replyBodyBytes(reply));
    } catch (error) {
      reportRecordingFailure(error);
    }
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    try {
      // How much of an abandoned response reached the client is unknown: not observed.
      finish(request, CLIENT_CLOSED_REQUEST, Number.NaN);
    } catch (error) {
      reportRecordingFailure(error);
    }
    done();
  });

  if (metricsPath !== false) {
    // A Fastify route, not a Nest controller: no global prefix, no guard; every method
    // reaches the endpoint, which answers 405 to all but GET and HEAD.
    app.route({
      method: app.supportedMethods,
      url: metricsPath,
      exposeHeadRoute: false,
      handler: async (request, reply) => {
        const result = await endpoint.respond({ method: request.method, headers: request.headers });
        return reply.code(result.status).headers(result.headers).send(result.body);
      },
    });
  }
}
