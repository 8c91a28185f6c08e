import { createServer } from 'node:http';
import Router from '@koa/router';
import Koa from 'koa';
import { dogBody, dogRouteTemplates, STATUS_ROUTE, statusFrom } from '../lib/app-shape.mjs';

/** A Koa 3 app with the bench routes on @koa/router; `instrument(app)` adds the metrics under test first. */
export function createKoaApp(config, instrument = () => {}) {
  const app = new Koa();
  instrument(app);
  const router = new Router();
  for (const template of dogRouteTemplates(config)) {
    router.get(template, (ctx) => {
      ctx.body = dogBody(ctx.params.id);
    });
  }
  router.get(STATUS_ROUTE, (ctx) => {
    ctx.status = statusFrom(ctx.params.code);
    ctx.body = { status: ctx.params.code };
  });
  app.use(router.routes());
  return app;
}

export async function listenKoa(app) {
  const server = createServer(app.callback());
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    port: server.address().port,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
