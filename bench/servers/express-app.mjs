import { createServer } from 'node:http';
import express from 'express';
import { dogBody, dogRouteTemplates, STATUS_ROUTE, statusFrom } from '../lib/app-shape.mjs';
import { promenadeOptions, serveBenchApp } from '../lib/child.mjs';

/**
 * An Express 5 app with the bench routes; `instrument(app)` adds the metrics under test first.
 * `body(id)` is what a dog route answers (app-shape.mjs).
 */
export function createExpressApp(config, instrument = () => {}, body = dogBody) {
  const app = express();
  instrument(app);
  for (const template of dogRouteTemplates(config)) {
    app.get(template, (req, res) => {
      res.json(body(req.params.id));
    });
    if (config.writes) {
      app.post(template, express.json(), (req, res) => {
        res.status(201).json(dogBody(req.params.id));
      });
      app.delete(template, (_req, res) => {
        res.status(204).end();
      });
    }
  }
  app.get(STATUS_ROUTE, (req, res) => {
    res.status(statusFrom(req.params.code)).json({ status: req.params.code });
  });
  return app;
}

export async function listenExpress(app) {
  const server = createServer(app);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    port: server.address().port,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * Serves the app with `metricsMiddleware` (a build of Promenade's) installed first, on
 * Promenade's defaults.
 */
export function serveExpressWithPromenade(metricsMiddleware) {
  serveBenchApp((config) =>
    listenExpress(
      createExpressApp(config, (app) => {
        app.use(metricsMiddleware(promenadeOptions(config)));
      }),
    ),
  );
}
