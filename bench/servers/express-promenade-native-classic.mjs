import { metricsMiddleware } from '@promenade/express';
import { promenadeOptions, serveBenchApp } from '../lib/child.mjs';
import { createExpressApp, listenExpress } from './express-app.mjs';

// Promenade's defaults with native histograms beside the classic buckets (`nativeHistograms:
// true`): what the native observation adds to servers/express-promenade's classic one.
serveBenchApp((config) =>
  listenExpress(
    createExpressApp(config, (app) => {
      app.use(metricsMiddleware({ ...promenadeOptions(config), nativeHistograms: true }));
    }),
  ),
);
