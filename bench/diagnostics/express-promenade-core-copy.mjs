import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promenadeOptions, serveBenchApp } from '../lib/child.mjs';
import { withoutExemplarsDir } from '../lib/core-without-exemplars.mjs';
import { createExpressApp, listenExpress } from '../servers/express-app.mjs';

// servers/express-promenade-without-exemplars without the patch: today's core, copied and built
// the same way (bench/lib/core-without-exemplars.mjs). Against it, the build without exemplars
// differs by the exemplar code alone.
const benchDir = join(import.meta.dirname, '..');
const adapter = join(
  withoutExemplarsDir(benchDir, false),
  'node_modules',
  '@promenade',
  'express',
  'dist',
  'index.mjs',
);
const { metricsMiddleware } = await import(pathToFileURL(adapter).href);

serveBenchApp((config) =>
  listenExpress(
    createExpressApp(config, (app) => {
      app.use(metricsMiddleware(promenadeOptions(config)));
    }),
  ),
);
