import { fastifyMetrics } from '@promenade/fastify';
import { promenadeOptions, serveBenchApp } from '../lib/child.mjs';
import { createFastifyApp, listenFastify } from './fastify-app.mjs';

// Promenade's defaults with native histograms only (no classic buckets), as
// servers/express-promenade-native does for Express.
serveBenchApp(async (config) =>
  listenFastify(
    await createFastifyApp(config, async (app) => {
      await app.register(fastifyMetrics, {
        ...promenadeOptions(config),
        nativeHistograms: { classic: false },
      });
    }),
  ),
);
