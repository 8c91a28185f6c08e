import fastifyMetrics from 'fastify-metrics';
import { serveBenchApp } from '../lib/child.mjs';
import { createFastifyApp, listenFastify } from './fastify-app.mjs';

// Its defaults: route metrics on (a histogram and a summary per route), process metrics on
// (off when `config.processMetrics === false`, for the instruction count).
serveBenchApp(async (config) =>
  listenFastify(
    await createFastifyApp(config, async (app) => {
      await app.register(fastifyMetrics, {
        endpoint: '/metrics',
        ...(config.processMetrics === false && { defaultMetrics: { enabled: false } }),
      });
    }),
  ),
);
