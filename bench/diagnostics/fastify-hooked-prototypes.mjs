import { IncomingMessage, ServerResponse } from 'node:http';
import { serveBenchApp } from '../lib/child.mjs';
import { createFastifyApp, listenFastify } from '../servers/fastify-app.mjs';

/**
 * The empty-hook floor (fastify-empty-hooks.mjs) with every method core hooks on Node's
 * prototypes for Fastify (ServerResponse's `write`, `end` and `emit`, IncomingMessage's
 * `destroy`) replaced, before the first request, by functions that only pass their arguments
 * on: what the hooks cost by themselves, apart from counting anything.
 */
function passThrough(prototype, method) {
  const original = prototype[method];
  Object.defineProperty(prototype, method, {
    value: function () {
      // biome-ignore lint/complexity/noArguments: passes every argument on, as core's hooks do
      return original.apply(this, arguments);
    },
    writable: true,
    configurable: true,
  });
}
for (const method of ['write', 'end', 'emit']) passThrough(ServerResponse.prototype, method);
passThrough(IncomingMessage.prototype, 'destroy');

serveBenchApp(async (config) =>
  listenFastify(
    await createFastifyApp(config, async (app) => {
      app.addHook('onRequest', (_request, _reply, done) => done());
      app.addHook('onResponse', (_request, _reply, done) => done());
    }),
  ),
);
