import { serveBenchApp } from '../lib/child.mjs';
import { createFastifyApp, listenFastify } from '../servers/fastify-app.mjs';

/**
 * Bare Fastify plus an `onRequest` and an `onResponse` hook that do nothing: what Fastify
 * itself charges any plugin that sees a request begin and end (a reply that times itself, two
 * hook runners per request). The floor under any Fastify instrumentation's figure.
 */
serveBenchApp(async (config) =>
  listenFastify(
    await createFastifyApp(config, async (app) => {
      app.addHook('onRequest', (_request, _reply, done) => done());
      app.addHook('onResponse', (_request, _reply, done) => done());
    }),
  ),
);
