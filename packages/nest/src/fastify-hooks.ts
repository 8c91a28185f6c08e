import type { AbstractHttpAdapter } from '@nestjs/core';
import {
  type FastifyHost,
  type FastifyRequestFacts,
  type HttpInstrumentation,
  instrumentFastify,
} from '@promenade/core/adapter';
import { kRouteExceptionSink, type RouteExceptionSink } from './exception-capture.js';

interface NestFastifyInstance extends FastifyHost {
  decorate(name: symbol, value: RouteExceptionSink): unknown;
}

/**
 * The Fastify side: core's Fastify lifecycle on the underlying instance, whose hooks Fastify
 * runs for every route and for the not-found handler, and the metrics route, a Fastify route
 * rather than a Nest controller (no global prefix, no guard). Route exceptions reach Nest's
 * exception layer, never Fastify's onError hook: they are counted through the sink the
 * instance carries (see exception-capture.ts).
 */
export function instrumentFastifyPlatform(
  adapter: AbstractHttpAdapter,
  instrumentation: HttpInstrumentation,
  countsExceptions: boolean,
): void {
  const app = adapter.getInstance<NestFastifyInstance>();
  const lifecycle = instrumentFastify(app, { ...instrumentation, countErrorsOnError: false });
  if (!countsExceptions) return;
  app.decorate(kRouteExceptionSink, {
    recordRouteException(request, error) {
      // Nest's not-found handler raises a NotFoundException for every miss: a miss is not counted.
      const fastifyRequest = request as FastifyRequestFacts & { readonly is404?: boolean };
      if (fastifyRequest.is404 !== true) lifecycle.recordException(fastifyRequest, error);
    },
  });
}
