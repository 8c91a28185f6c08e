import { serveBenchApp } from '../lib/child.mjs';
import { createFastifyApp, listenFastify } from '../servers/fastify-app.mjs';

/**
 * Bare Fastify plus one `onRequest` hook that does nothing: what Fastify charges a plugin that
 * sees a request begin and leaves its end to Node's response (no `onResponse` hook, so Fastify
 * neither clocks the reply nor adds its listeners to the response).
 */
serveBenchApp(async (config) =>
  listenFastify(
    await createFastifyApp(config, async (app) => {
      app.addHook('onRequest', (_request, _reply, done) => done());
    }),
  ),
);
