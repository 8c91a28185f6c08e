import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promenadeOptions, serveBenchApp } from '../lib/child.mjs';
import { withoutExemplarsDir } from '../lib/core-without-exemplars.mjs';
import { createFastifyApp, listenFastify } from './fastify-app.mjs';

// servers/fastify-promenade on a build of today's core without the exemplar code
// (bench/lib/core-without-exemplars.mjs builds it when a count names this program): what
// exemplars off is measured against.
const benchDir = join(import.meta.dirname, '..');
const adapter = join(
  withoutExemplarsDir(benchDir),
  'node_modules',
  '@promenade',
  'fastify',
  'dist',
  'index.mjs',
);
const { fastifyMetrics } = await import(pathToFileURL(adapter).href);

serveBenchApp(async (config) =>
  listenFastify(
    await createFastifyApp(config, async (app) => {
      await app.register(fastifyMetrics, promenadeOptions(config));
    }),
  ),
);
