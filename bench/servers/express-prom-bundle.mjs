import promBundle from 'express-prom-bundle';
import { serveBenchApp } from '../lib/child.mjs';
import { createExpressApp, listenExpress } from './express-app.mjs';

// The configuration its users run: method, path and status labels, and (like Promenade's
// defaults) the process metrics, served on /metrics. `config.processMetrics === false` (the
// instruction count) leaves the process metrics out.
serveBenchApp((config) =>
  listenExpress(
    createExpressApp(config, (app) => {
      app.use(
        promBundle({
          includeMethod: true,
          includePath: true,
          includeStatusCode: true,
          ...(config.processMetrics !== false && { promClient: { collectDefaultMetrics: {} } }),
        }),
      );
    }),
  ),
);
