import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promenadeOptions, serveBenchApp } from '../lib/child.mjs';
import { withoutExemplarsDir } from '../lib/core-without-exemplars.mjs';
import { createFastifyApp, listenFastify } from '../servers/fastify-app.mjs';

// servers/fastify-promenade-without-exemplars without the patch: today's core, copied and built
// the same way (bench/lib/core-without-exemplars.mjs). Against it, the build without exemplars
// differs by the exemplar code alone.
const benchDir = join(import.meta.dirname, '..');
const adapter = join(
  withoutExemplarsDir(benchDir, false),
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
