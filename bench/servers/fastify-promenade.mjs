import { fastifyMetrics } from '@promenade/fastify';
import { promenadeOptions, serveBenchApp } from '../lib/child.mjs';
import { createFastifyApp, listenFastify } from './fastify-app.mjs';

// Promenade's defaults: the HTTP schema, process metrics, /metrics. `config.promenade` is only
// set by the hostile-traffic scenario (auth on /metrics); `config.processMetrics === false` (the
// instruction count) leaves the process metrics out.
serveBenchApp(async (config) =>
  listenFastify(
    await createFastifyApp(config, async (app) => {
      await app.register(fastifyMetrics, promenadeOptions(config));
    }),
  ),
);
