import { fastifyMetrics } from '@promenade/fastify';
import { serveBenchApp } from '../lib/child.mjs';
import { createFastifyApp, listenFastify } from './fastify-app.mjs';

// Promenade's defaults: the HTTP schema, process metrics, /metrics. `config.promenade` is only
// set by the hostile-traffic scenario (auth on /metrics).
serveBenchApp(async (config) =>
  listenFastify(
    await createFastifyApp(config, async (app) => {
      await app.register(fastifyMetrics, config.promenade ?? {});
    }),
  ),
);
