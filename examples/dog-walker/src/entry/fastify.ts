import { fastifyMetrics } from '@promenade/fastify';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { Outcome } from '../domain/outcome.js';
import { API_ROUTES } from '../http/api-routes.js';
import type { StaticFile } from '../http/page.js';
import { type AppContext, type FrameworkApp, NOT_FOUND } from './app-context.js';

const send = (reply: FastifyReply, { status, body }: Outcome) => reply.code(status).send(body);
const sendFile = (reply: FastifyReply, file: StaticFile) => reply.type(file.contentType).send(file.body);

/**
 * Leaves request bodies unread for the operations, which read and check them the same way on
 * every framework: Fastify's own parsers would answer malformed or oversized bodies before the
 * route runs, with other statuses and messages.
 */
export function passBodiesThrough(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));
}

/** The dog walker on Fastify 5. */
export async function createFastifyApp(context: AppContext): Promise<FrameworkApp> {
  const app = Fastify({ forceCloseConnections: true });
  passBodiesThrough(app);
  await app.register(fastifyMetrics, { registry: context.registry, auth: context.auth, ...context.features });
  for (const route of API_ROUTES) {
    const operation = context.operations[route.operation];
    app.route({
      method: route.method,
      url: route.path,
      handler: async (request, reply) =>
        send(
          reply,
          await operation({
            params: request.params as Record<string, string>,
            query: request.query as Record<string, unknown>,
            raw: request.raw,
          }),
        ),
    });
  }
  app.get('/', (_request, reply) => sendFile(reply, context.page.index));
  app.get('/assets/:name', (request, reply) => {
    const file = context.page.assets.get((request.params as { name: string }).name);
    return file ? sendFile(reply, file) : reply.code(404).send(NOT_FOUND);
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send(NOT_FOUND));
  app.setErrorHandler((_error, _request, reply) => reply.code(500).send({ error: 'internal error' }));
  return {
    async listen(port, host) {
      await app.listen({ port, host });
      const address = app.server.address();
      return typeof address === 'object' && address ? address.port : port;
    },
    close: () => app.close(),
  };
}
