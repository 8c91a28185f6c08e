import { metricsMiddleware } from '@promenade/koa';
import { promenadeOptions, serveBenchApp } from '../lib/child.mjs';
import { createKoaApp, listenKoa } from './koa-app.mjs';

// Promenade's defaults: the HTTP schema, process metrics, /metrics. `config.processMetrics === false`
// (the instruction count) leaves the process metrics out.
serveBenchApp((config) =>
  listenKoa(
    createKoaApp(config, (app) => {
      app.use(metricsMiddleware(promenadeOptions(config)));
    }),
  ),
);
