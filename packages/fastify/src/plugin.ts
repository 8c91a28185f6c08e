import { PromenadeError } from '@promenade/core';
import {
  checkOptions,
  createHttpInstrumentation,
  isBoolean,
  type OptionShape,
} from '@promenade/core/adapter';
import type { FastifyPluginAsync, RouteOptions } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { createMetricsRoute } from './metrics-route.js';
import { createRequestHooks, kRoute, kTimer } from './request-hooks.js';
import type { FastifyMetricsOptions } from './types.js';

const PACKAGE = '@promenade/fastify';

/** Marks an instance (and, through inheritance, its children) as instrumented. */
const kInstrumented = Symbol('promenade.instrumented');

const routeConfigShape: OptionShape = { exclude: isBoolean };

/** A misspelt or mistyped `config.metrics` fails when the route is added, not silently per request. */
function checkRouteConfig(route: RouteOptions): void {
  checkOptions(route.config?.metrics, routeConfigShape, PACKAGE, 'config.metrics');
}

const promenadeMetrics: FastifyPluginAsync<FastifyMetricsOptions> = async (app, options) => {
  // A second registration would count every request twice and clash on the metrics route.
  if (app.hasDecorator(kInstrumented)) {
    throw new PromenadeError(
      'ERR_PROMENADE_ALREADY_REGISTERED',
      `${PACKAGE}: the plugin is already registered on this Fastify instance or on a parent of it; register it once, on the root instance`,
    );
  }
  const {
    options: resolved,
    recorder,
    endpoint,
    metrics,
  } = createHttpInstrumentation(options, {
    packageName: PACKAGE,
    onError: (error) => app.log.error({ err: error }, `${PACKAGE}: metrics collection failed`),
  });

  app.decorate(kInstrumented, true);
  app.decorate('metrics', metrics);
  app.decorateRequest(kRoute, null);
  app.decorateRequest(kTimer, null);

  const hooks = createRequestHooks(recorder);
  app.addHook('onRoute', checkRouteConfig);
  app.addHook('onRequest', hooks.onRequest);
  app.addHook('onSend', hooks.onSend);
  app.addHook('onResponse', hooks.onResponse);
  app.addHook('onError', hooks.onError);
  app.addHook('onRequestAbort', hooks.onRequestAbort);

  if (resolved.metricsPath !== false) app.route(createMetricsRoute(endpoint, resolved.metricsPath));
};

/**
 * Records every request of the instance it is registered on (and of its children) into
 * Promenade's HTTP metrics and serves them on `metricsPath`.
 */
export const fastifyMetrics = /* @__PURE__ */ fastifyPlugin(promenadeMetrics, {
  name: PACKAGE,
  fastify: '4.x || 5.x',
});
