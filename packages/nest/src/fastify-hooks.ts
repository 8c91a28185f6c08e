import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AbstractHttpAdapter } from '@nestjs/core';
import {
  CLIENT_CLOSED_REQUEST,
  type HttpInstrumentation,
  requestBodyBytes,
  responseBodyBytes,
  trackResponseBytes,
} from '@promenade/core';
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

interface FastifyInstance {
  readonly supportedMethods: readonly string[];
  addHook(
    name: 'onRequest' | 'onResponse',
    hook: (request: FastifyRequest, reply: FastifyReply, done: Done) => void,
  ): unknown;
  addHook(name: 'onRequestAbort', hook: (request: FastifyRequest, done: Done) => void): unknown;
  addHook(
    name: 'onSend',
    hook: (
      request: FastifyRequest,
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

/** Marks a request whose response is recorded, so an abort and a late response count once. */
const RECORDED = -1;

function isStream(payload: unknown): boolean {
  return typeof (payload as { pipe?: unknown } | null)?.pipe === 'function';
}

/**
 * The Fastify side: hooks on the underlying instance, which Fastify runs for every route and
 * for the not-found handler. The start is taken in `onRequest`; the response is recorded in
 * `onResponse` (or `onRequestAbort`, as 499), with Fastify's own elapsed time, which also
 * covers requests that an earlier hook of Nest's (CORS, CSRF, shutdown) answered before ours ran.
 */
export function instrumentFastify(adapter: AbstractHttpAdapter, instrumentation: HttpInstrumentation): void {
  const { recorder, endpoint, options } = instrumentation;
  const { metricsPath } = options;
  const app = adapter.getInstance<FastifyInstance>();
  const starts = new WeakMap<FastifyRequest, number>();
  const isScrape = (request: FastifyRequest): boolean =>
    metricsPath !== false && !request.is404 && request.routeOptions.url === metricsPath;

  const record = (request: FastifyRequest, status: number, start: number, responseBytes: number): void => {
    starts.set(request, RECORDED);
    try {
      const route = fastifyRouteTemplate(request);
      recorder.finishRequest(
        request.method,
        route,
        status,
        start,
        requestBodyBytes(request.headers),
        responseBytes,
      );
    } catch (error) {
      reportRecordingFailure(error);
    }
  };

  app.addHook('onRequest', (request, _reply, done) => {
    if (!isScrape(request)) starts.set(request, recorder.startRequest());
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const start = starts.get(request);
    if (start === RECORDED) return done();
    if (start === undefined) {
      // Not started: a scrape, or a request that an earlier onRequest hook answered; that one
      // is recorded, with a start of its own to keep the in-flight gauge balanced.
      if (isScrape(request)) return done();
      recorder.startRequest();
    }
    record(request, reply.statusCode, performance.now() - reply.elapsedTime, responseBodyBytes(reply.raw));
    done();
  });
  // Only a streamed body without Content-Length needs its bytes counted as they are written.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (isStream(payload) && reply.getHeader('content-length') === undefined) trackResponseBytes(reply.raw);
    done(null, payload);
  });
  app.addHook('onRequestAbort', (request, done) => {
    const start = starts.get(request);
    if (start !== undefined && start !== RECORDED) record(request, CLIENT_CLOSED_REQUEST, start, Number.NaN);
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
