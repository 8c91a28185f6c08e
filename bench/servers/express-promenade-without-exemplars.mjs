import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promenadeOptions, serveBenchApp } from '../lib/child.mjs';
import { withoutExemplarsDir } from '../lib/core-without-exemplars.mjs';
import { createExpressApp, listenExpress } from './express-app.mjs';

// servers/express-promenade on a build of today's core without the exemplar code
// (bench/lib/core-without-exemplars.mjs builds it when a count names this program): what
// exemplars off is measured against.
const benchDir = join(import.meta.dirname, '..');
const adapter = join(
  withoutExemplarsDir(benchDir),
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
