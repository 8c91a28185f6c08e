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
  makeUnusedShapes(Number(process.env.PROMENADE_BENCH_UNUSED_SHAPES ?? 0));
  serveBenchApp((config) =>
    listenExpress(
      createExpressApp(config, (app) => {
        app.use(metricsMiddleware(promenadeOptions(config)));
      }),
    ),
  );
}

/**
 * Makes `count` objects of shapes nothing else has, before the app is built, and keeps them.
 * Nothing of it runs per request; it moves where V8 puts the maps made after it, and with them
 * which of the request path's megamorphic loads share a slot of V8's stub cache (keyed by map
 * and property name) and miss it on every request. Varying it measures how far the count moves
 * with that layout alone (bench/RESULTS.md, "Exemplars: off against no exemplar code").
 */
const unusedShapes = [];
function makeUnusedShapes(count) {
  for (let i = 0; i < count; i++) unusedShapes.push({ [`unused shape ${i}`]: i });
}
