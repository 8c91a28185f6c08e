import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import { metricsMiddleware } from '@promenade/koa';
import Koa, { type Context } from 'koa';
import type { Outcome } from '../domain/outcome.js';
import { API_ROUTES } from '../http/api-routes.js';
import type { StaticFile } from '../http/page.js';
import { type AppContext, type FrameworkApp, NOT_FOUND } from './app-context.js';
import { closeHttpServer } from './close-http-server.js';

const send = (ctx: Context, { status, body }: Outcome) => {
  ctx.status = status;
  ctx.body = body;
};
const sendFile = (ctx: Context, file: StaticFile) => {
  ctx.type = file.contentType;
  ctx.body = file.body;
};

/** The dog walker on Koa 3 with @koa/router. No body parser: the operations read the body themselves. */
export function createKoaApp(context: AppContext): FrameworkApp {
  const app = new Koa();
  // The 500s below are answered, and counted by Promenade through Koa's 'error' event.
  app.silent = true;
  app.use(metricsMiddleware({ registry: context.registry, auth: context.auth, ...context.features }));
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      send(ctx, { status: 500, body: { error: 'internal error' } });
      ctx.app.emit('error', error, ctx);
    }
  });
  const router = new Router();
  for (const route of API_ROUTES) {
    const operation = context.operations[route.operation];
    const method = route.method === 'GET' ? 'get' : 'post';
    router[method](route.path, async (ctx) => {
      send(ctx, await operation({ params: ctx.params, query: ctx.query, raw: ctx.req }));
    });
  }
  router.get('/', (ctx) => sendFile(ctx, context.page.index));
  router.get('/assets/:name', (ctx) => {
    const file = context.page.assets.get(ctx.params.name ?? '');
    if (file) sendFile(ctx, file);
    else send(ctx, { status: 404, body: NOT_FOUND });
  });
  app.use(router.routes());
  app.use((ctx) => send(ctx, { status: 404, body: NOT_FOUND }));

  const server = createServer(app.callback());
  return {
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      }),
    close: () => closeHttpServer(server),
  };
}
