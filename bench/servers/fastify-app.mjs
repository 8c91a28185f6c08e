import Fastify from 'fastify';
import { dogBody, dogRouteTemplates, STATUS_ROUTE, statusFrom } from '../lib/app-shape.mjs';
import { promenadeOptions, serveBenchApp } from '../lib/child.mjs';

/** A Fastify 5 app with the bench routes; `instrument(app)` registers the metrics under test first. */
export async function createFastifyApp(config, instrument = async () => {}) {
  const app = Fastify({ logger: false });
  await instrument(app);
  for (const template of dogRouteTemplates(config)) {
    app.get(template, async (request) => dogBody(request.params.id));
    if (config.writes) {
      app.post(template, async (request, reply) => {
        reply.code(201);
        return dogBody(request.params.id);
      });
      app.delete(template, async (_request, reply) => {
        reply.code(204).send();
      });
    }
  }
  app.get(STATUS_ROUTE, async (request, reply) => {
    reply.code(statusFrom(request.params.code));
    return { status: request.params.code };
  });
  return app;
}

export async function listenFastify(app) {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { server: app.server, port: app.server.address().port, close: () => app.close() };
}

/**
 * Serves the app with `fastifyMetrics` (a build of Promenade's plugin) registered first, on
 * Promenade's defaults.
 */
export function serveFastifyWithPromenade(fastifyMetrics) {
  serveBenchApp(async (config) =>
    listenFastify(
      await createFastifyApp(config, async (app) => {
        await app.register(fastifyMetrics, promenadeOptions(config));
      }),
    ),
  );
}
