import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import Router from '@koa/router';
import { metricsMiddleware } from '@promenade/koa';
import Koa from 'koa';
import { Registry } from 'prom-client';
import { FEED_CHUNKS, HELD_PATH, LARGE_RESPONSE, UNSERIALIZABLE } from './payloads.js';
import { SlowGate } from './slow-gate.js';
import type { Stack } from './stacks.js';

/** The conformance routes on Koa 3 with @koa/router, as a Koa application writes them. */
export async function startKoa(credentials: { username: string; password: string }): Promise<Stack> {
  const registry = new Registry();
  const gate = new SlowGate();
  const app = new Koa();
  // The script's errors are expected: Koa's logger would print each one.
  app.silent = true;
  app.use(metricsMiddleware({ registry, auth: credentials, defaultMetrics: false }));
  // What an authentication middleware in front of the routes does: holds some requests a while.
  app.use(async (ctx, next) => {
    if (ctx.url.startsWith(HELD_PATH)) await gate.hold(ctx.req);
    await next();
  });
  // What every real Koa app has: a JSON error handler, which hands the error to Koa's 'error'
  // event as Koa's documentation asks of one that answers itself.
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      ctx.status = (error as { status?: number }).status ?? 500;
      ctx.body = { message: (error as Error).message };
      ctx.app.emit('error', error, ctx);
    }
  });
  // @koa/router decodes parameters leniently (a value that does not decode is kept as sent), so a
  // Koa app that refuses such URLs, as Express does, says so itself: a 400 with the URIError.
  app.use((ctx, next) => {
    try {
      decodeURIComponent(ctx.path);
    } catch (error) {
      ctx.throw(400, error as Error);
    }
    return next();
  });
  const api = new Router({ prefix: '/api' });
  api.get('/dogs/:id', (ctx) => {
    ctx.body = { id: Number(ctx.params.id), name: 'Rex' };
  });
  api.get('/boom', () => {
    throw new Error('boom');
  });
  api.get(
    '/walks/:count',
    (ctx, next) => {
      if (!/^\d+$/.test(String(ctx.params.count))) ctx.throw(400, 'count');
      return next();
    },
    (ctx) => {
      ctx.body = { walks: Number(ctx.params.count) };
    },
  );
  api.post('/uploads', async (ctx) => {
    for await (const _chunk of ctx.req) {
      // Read and dropped, as a body parser would read it.
    }
    ctx.type = 'text/plain';
    ctx.body = LARGE_RESPONSE;
  });
  api.get('/slow', async (ctx) => {
    await gate.hold();
    ctx.body = { late: true };
  });
  api.get('/feed', (ctx) => {
    ctx.type = 'text/plain';
    ctx.body = Readable.from(FEED_CHUNKS);
  });
  api.get('/ledger', (ctx) => {
    ctx.body = UNSERIALIZABLE;
  });
  app.use(api.routes());
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    registry,
    gate,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
