import { EventEmitter } from 'node:events';
import { serveBenchApp } from '../lib/child.mjs';
import { createFastifyApp, listenFastify } from '../servers/fastify-app.mjs';

/**
 * Fastify's floor (diagnostics/fastify-empty-hooks.mjs) with nine event listeners added at
 * start-up, on emitters of their own, before the app is built: about as many more as
 * registering Promenade's plugin and its metrics route add through avvio's and Fastify's events.
 * Nothing of it runs per request. What it changes is when V8 gives Node's `_addListener` its
 * feedback: earlier, so that the store of `_eventsCount` records the first connection's socket
 * in its two early shapes as well, five shapes in all, and goes megamorphic for the rest of the
 * run. On the floor itself the feedback comes later, the one connection of the count is past
 * those shapes, and the store stays polymorphic: a state a server that has accepted a second
 * connection no longer has (bench/RESULTS.md).
 */
serveBenchApp(async (config) => {
  for (let i = 0; i < 9; i++) new EventEmitter().on(`start-up ${i}`, () => {});
  return listenFastify(
    await createFastifyApp(config, async (app) => {
      app.addHook('onRequest', (_request, _reply, done) => done());
      app.addHook('onResponse', (_request, _reply, done) => done());
    }),
  );
});
