import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsMiddleware } from '@promenade/express';
import express, { type ErrorRequestHandler, type Response } from 'express';
import type { Outcome } from '../domain/outcome.js';
import { API_ROUTES } from '../http/api-routes.js';
import type { StaticFile } from '../http/page.js';
import { type AppContext, type FrameworkApp, NOT_FOUND } from './app-context.js';
import { closeHttpServer } from './close-http-server.js';

const send = (res: Response, { status, body }: Outcome) => res.status(status).json(body);
const sendFile = (res: Response, file: StaticFile) => res.type(file.contentType).send(file.body);

/** The dog walker on Express 5. No body parser: the operations read the body themselves. */
export function createExpressApp(context: AppContext): FrameworkApp {
  const app = express();
  app.disable('x-powered-by');
  app.use(metricsMiddleware({ registry: context.registry, auth: context.auth, ...context.features }));
  for (const route of API_ROUTES) {
    const operation = context.operations[route.operation];
    const method = route.method === 'GET' ? 'get' : 'post';
    app[method](route.path, async (req, res) => {
      send(
        res,
        await operation({ params: req.params as Record<string, string>, query: req.query, raw: req }),
      );
    });
  }
  app.get('/', (_req, res) => sendFile(res, context.page.index));
  app.get('/assets/:name', (req, res) => {
    const file = context.page.assets.get(req.params.name);
    if (file) sendFile(res, file);
    else res.status(404).json(NOT_FOUND);
  });
  app.use((_req, res) => {
    res.status(404).json(NOT_FOUND);
  });
  const onError: ErrorRequestHandler = (_error, _req, res, _next) => {
    res.status(500).json({ error: 'internal error' });
  };
  app.use(onError);

  const server = createServer(app);
  return {
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      }),
    close: () => closeHttpServer(server),
  };
}
