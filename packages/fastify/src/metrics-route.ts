import type { MetricsEndpoint } from '@promenade/core';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';

/** The route serving the exposition through core's endpoint. It opts itself out of the traffic metrics. */
export function createMetricsRoute(endpoint: MetricsEndpoint, url: string): RouteOptions {
  return {
    method: ['GET', 'HEAD'],
    url,
    // HEAD is declared above, so Fastify must not add its own HEAD route beside it.
    exposeHeadRoute: false,
    config: { metrics: { exclude: true } },
    async handler(request: FastifyRequest, reply: FastifyReply) {
      const result = await endpoint.respond({ method: request.method, headers: request.headers });
      return reply.code(result.status).headers(result.headers).send(result.body);
    },
  };
}
