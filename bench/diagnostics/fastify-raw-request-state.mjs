import { serveBenchApp } from '../lib/child.mjs';
import { createFastifyApp, listenFastify } from '../servers/fastify-app.mjs';

const kState = Symbol('state');

/**
 * Fastify's floor (diagnostics/fastify-empty-hooks.mjs) plus what Promenade's Fastify lifecycle
 * keeps per request on Node's raw request: one object under a symbol, set in `onRequest` and
 * read in `onResponse`. What that property alone costs, Node's code that sees the request
 * after it included.
 */
serveBenchApp(async (config) =>
  listenFastify(
    await createFastifyApp(config, async (app) => {
      app.addHook('onRequest', (request, _reply, done) => {
        request.raw[kState] = { open: true };
        done();
      });
      app.addHook('onResponse', (request, _reply, done) => {
        request.raw[kState].open = false;
        done();
      });
    }),
  ),
);
