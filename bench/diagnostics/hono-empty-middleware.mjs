import { serveBenchApp } from '../lib/child.mjs';
import { createHonoApp, listenHono } from '../servers/hono-app.mjs';

// Hono's floor: one middleware that only awaits next(). With a single matched handler Hono calls
// it directly; with two it composes them (a dispatch closure and a promise per handler), the cost
// any instrumenting middleware, Promenade's or a peer's, starts from.
serveBenchApp((config) =>
  listenHono(
    createHonoApp(config, (app) => {
      app.use(async (_c, next) => {
        await next();
      });
    }),
  ),
);
