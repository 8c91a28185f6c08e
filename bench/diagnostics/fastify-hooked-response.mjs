import { ServerResponse } from 'node:http';
import { serveBenchApp } from '../lib/child.mjs';
import { createFastifyApp, listenFastify } from '../servers/fastify-app.mjs';

/**
 * The empty-hook floor (fastify-empty-hooks.mjs) with Node's ServerResponse.prototype `write`
 * and `end` replaced, before the first request, by functions that only pass their arguments on:
 * what hooking the prototype costs by itself, apart from counting anything.
 */
for (const method of ['write', 'end']) {
  const original = ServerResponse.prototype[method];
  Object.defineProperty(ServerResponse.prototype, method, {
    value: function () {
      // biome-ignore lint/complexity/noArguments: passes every argument on, as core's hooks do
      return original.apply(this, arguments);
    },
    writable: true,
    configurable: true,
  });
}

serveBenchApp(async (config) =>
  listenFastify(
    await createFastifyApp(config, async (app) => {
      app.addHook('onRequest', (_request, _reply, done) => done());
      app.addHook('onResponse', (_request, _reply, done) => done());
    }),
  ),
);
