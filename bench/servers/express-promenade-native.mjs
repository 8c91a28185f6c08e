import { metricsMiddleware } from '@promenade/express';
import { promenadeOptions, serveBenchApp } from '../lib/child.mjs';
import { createExpressApp, listenExpress } from './express-app.mjs';

// Promenade's defaults with native histograms only (no classic buckets): what a native
// observation costs a request against servers/express-promenade's classic one.
serveBenchApp((config) =>
  listenExpress(
    createExpressApp(config, (app) => {
      app.use(metricsMiddleware({ ...promenadeOptions(config), nativeHistograms: { classic: false } }));
    }),
  ),
);
