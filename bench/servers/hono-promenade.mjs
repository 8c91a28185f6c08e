import { metricsMiddleware } from '@promenade/hono';
import { promenadeOptions, serveBenchApp } from '../lib/child.mjs';
import { createHonoApp, listenHono } from './hono-app.mjs';

// Promenade's defaults: the HTTP schema, process metrics, /metrics. `config.processMetrics ===
// false` (the instruction count) leaves the process metrics out.
serveBenchApp((config) =>
  listenHono(
    createHonoApp(config, (app) => {
      app.use(metricsMiddleware(promenadeOptions(config)));
    }),
  ),
);
