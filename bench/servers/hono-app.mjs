import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { dogBody, dogRouteTemplates, STATUS_ROUTE, statusFrom } from '../lib/app-shape.mjs';

/** A Hono 4 app with the bench routes; `instrument(app)` adds the metrics under test first. */
export function createHonoApp(config, instrument = () => {}) {
  const app = new Hono();
  instrument(app);
  for (const template of dogRouteTemplates(config)) {
    app.get(template, (c) => c.json(dogBody(c.req.param('id'))));
  }
  app.get(STATUS_ROUTE, (c) => c.json({ status: c.req.param('code') }, statusFrom(c.req.param('code'))));
  return app;
}

/** Serves the app on @hono/node-server, Hono's way to run on Node. */
export async function listenHono(app) {
  const server = await new Promise((resolve) => {
    const listening = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(listening));
  });
  return {
    server,
    port: server.address().port,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
