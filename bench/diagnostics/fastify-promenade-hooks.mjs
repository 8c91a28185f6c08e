import { serveBenchApp } from '../lib/child.mjs';
import { createFastifyApp, listenFastify } from '../servers/fastify-app.mjs';

/**
 * Bare Fastify plus the hooks @promenade/fastify registered until it gave up onRequestAbort
 * (onRequest, onResponse, onError, onRequestAbort), each doing nothing: what Fastify charges
 * for that set of hooks, apart from anything the hooks do. Against fastify-empty-hooks.mjs (two
 * hooks; onError runs only on an error) it shows what onRequestAbort costs by itself.
 */
serveBenchApp(async (config) =>
  listenFastify(
    await createFastifyApp(config, async (app) => {
      app.addHook('onRequest', (_request, _reply, done) => done());
      app.addHook('onResponse', (_request, _reply, done) => done());
      app.addHook('onError', (_request, _reply, _error, done) => done());
      app.addHook('onRequestAbort', (_request, done) => done());
    }),
  ),
);
