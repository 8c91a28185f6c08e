import { metricsMiddleware } from '@promenade/express';
import { promenadeOptions, serveBenchApp } from '../lib/child.mjs';
import { createExpressApp, listenExpress } from './express-app.mjs';

// Promenade's defaults with exemplars on and no span active (no tracer is set up): what asking
// for the active trace costs a request, against servers/express-promenade with exemplars off.
serveBenchApp((config) =>
  listenExpress(
    createExpressApp(config, (app) => {
      app.use(metricsMiddleware({ ...promenadeOptions(config), exemplars: true }));
    }),
  ),
);
