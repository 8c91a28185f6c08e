import { serveBenchApp } from '../lib/child.mjs';
import { createExpressApp, listenExpress } from '../servers/express-app.mjs';

/** Bare Express plus one middleware that only calls next(): what Express charges for any middleware. */
serveBenchApp((config) =>
  listenExpress(
    createExpressApp(config, (app) => {
      app.use((_req, _res, next) => next());
    }),
  ),
);
