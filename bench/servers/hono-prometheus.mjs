import { prometheus } from '@hono/prometheus';
import { serveBenchApp } from '../lib/child.mjs';
import { createHonoApp, listenHono } from './hono-app.mjs';

// The configuration its README shows: its middleware on every route and /metrics served by its
// printer; process metrics as Promenade's defaults have them, off for the instruction count.
serveBenchApp((config) =>
  listenHono(
    createHonoApp(config, (app) => {
      const { printMetrics, registerMetrics } = prometheus({
        collectDefaultMetrics: config.processMetrics !== false,
      });
      app.use('*', registerMetrics);
      app.get('/metrics', printMetrics);
    }),
  ),
);
