import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type HttpBindings, serve } from '@hono/node-server';
import { metricsMiddleware } from '@promenade/hono';
import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Outcome } from '../domain/outcome.js';
import { API_ROUTES } from '../http/api-routes.js';
import type { StaticFile } from '../http/page.js';
import { type AppContext, type FrameworkApp, NOT_FOUND } from './app-context.js';
import { closeHttpServer } from './close-http-server.js';

type Env = { Bindings: HttpBindings };

const send = (c: Context<Env>, { status, body }: Outcome) => c.json(body, status as ContentfulStatusCode);
const sendFile = (c: Context<Env>, file: StaticFile) =>
  c.body(file.body, 200, { 'content-type': file.contentType });

/**
 * The dog walker on Hono 4, served on Node by @hono/node-server. The operations read the body from
 * Node's request, which @hono/node-server hands over unread (`c.env.incoming`).
 */
export async function createHonoApp(context: AppContext): Promise<FrameworkApp> {
  const app = new Hono<Env>();
  app.use(metricsMiddleware({ registry: context.registry, auth: context.auth, ...context.features }));
  for (const route of API_ROUTES) {
    const operation = context.operations[route.operation];
    app.on(route.method, route.path, async (c) =>
      send(
        c,
        await operation({
          params: c.req.param(),
          query: c.req.query(),
          raw: c.env.incoming as IncomingMessage,
        }),
      ),
    );
  }
  app.get('/', (c) => sendFile(c, context.page.index));
  app.get('/assets/:name', (c) => {
    const file = context.page.assets.get(c.req.param('name'));
    return file ? sendFile(c, file) : c.json(NOT_FOUND, 404);
  });
  app.notFound((c) => c.json(NOT_FOUND, 404));
  app.onError((_error, c) => c.json({ error: 'internal error' }, 500));
  let server: Server | undefined;
  return {
    async listen(port, host) {
      server = await new Promise<Server>((resolve) => {
        const listening = serve({ fetch: app.fetch, port, hostname: host }, () =>
          resolve(listening as Server),
        );
      });
      return (server.address() as AddressInfo).port;
    },
    close: async () => {
      if (server !== undefined) await closeHttpServer(server);
    },
  };
}
