import { metricsMiddleware } from '@promenade/express';
import { promenadeOptions, serveBenchApp } from '../lib/child.mjs';
import { createExpressApp, listenExpress } from './express-app.mjs';

// Promenade's defaults: the HTTP schema, process metrics, /metrics. `config.promenade` is only
// set by the hostile-traffic scenario (auth on /metrics); `config.processMetrics === false` (the
// instruction count) leaves the process metrics out.
serveBenchApp((config) =>
  listenExpress(
    createExpressApp(config, (app) => {
      app.use(metricsMiddleware(promenadeOptions(config)));
    }),
  ),
);
