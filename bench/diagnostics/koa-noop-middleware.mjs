import { serveBenchApp } from '../lib/child.mjs';
import { createKoaApp, listenKoa } from '../servers/koa-app.mjs';

/**
 * Bare Koa plus one middleware that only passes the request on: what Koa itself charges any
 * middleware (koa-compose's dispatch, a bound function and a promise per request). The floor
 * under any Koa instrumentation's figure.
 */
serveBenchApp((config) =>
  listenKoa(
    createKoaApp(config, (app) => {
      app.use((_ctx, next) => next());
    }),
  ),
);
