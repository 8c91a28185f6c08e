import { type FastifyMetricsOptions, fastifyMetrics } from '@promenade/fastify';
import fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastify4 from 'fastify4';
import { Registry } from 'prom-client';
import { afterEach } from 'vitest';

type Factory = (options?: FastifyServerOptions) => FastifyInstance;

/**
 * The same suites run on Fastify 5 and Fastify 4. Fastify 4's instance is driven through
 * Fastify 5's types: the runtime API the plugin and the tests use is the same on both.
 */
export const FASTIFY_VERSIONS: [string, Factory][] = [
  ['Fastify 5', fastify as Factory],
  ['Fastify 4', fastify4 as unknown as Factory],
];

const open: FastifyInstance[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((app) => app.close()));
});

/** A fresh app (closed after the test) and a fresh registry, plugin not yet registered. */
export function createApp(factory: Factory, serverOptions: FastifyServerOptions = {}) {
  const app = factory(serverOptions);
  open.push(app);
  return { app, registry: new Registry() };
}

/** Registers the plugin on `registry`, default metrics off for speed. */
export function registerMetrics(
  app: FastifyInstance,
  registry: Registry,
  options: FastifyMetricsOptions = {},
) {
  return app.register(fastifyMetrics, { registry, defaultMetrics: false, ...options });
}

/** A fresh app with the plugin registered on its own registry. */
export function instrumentedApp(factory: Factory, options: FastifyMetricsOptions = {}) {
  const { app, registry } = createApp(factory);
  registerMetrics(app, registry, options);
  return { app, registry };
}
