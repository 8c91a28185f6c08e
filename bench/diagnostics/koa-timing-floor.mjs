import { serveBenchApp } from '../lib/child.mjs';
import { FloorHistogram, monotonicSeconds } from '../lib/floor-histogram.mjs';
import { createKoaApp, listenKoa } from '../servers/koa-app.mjs';

/**
 * Bare Koa plus the least any instrumentation does per request to time it to its last byte:
 * one middleware that reads the clock, hears the response finish through one plain listener,
 * reads the clock again and observes one histogram. No labels, no sizes, no route, no 499s.
 * Its distance to bare Koa is the floor under a Koa instrumentation that times every request
 * as Promenade's schema does.
 */
serveBenchApp((config) =>
  listenKoa(
    createKoaApp(config, (app) => {
      const duration = new FloorHistogram([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
      app.use((ctx, next) => {
        const startedAt = monotonicSeconds();
        ctx.res.on('finish', () => duration.observe(monotonicSeconds() - startedAt));
        return next();
      });
    }),
  ),
);
