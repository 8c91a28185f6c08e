import { PromenadeError } from '@promenade/core';
import {
  checkOptions,
  createHttpInstrumentation,
  instrumentFastify,
  isBoolean,
  type OptionShape,
} from '@promenade/core/adapter';
import type { FastifyPluginAsync, RouteOptions } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
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
  const instrumentation = createHttpInstrumentation(options, {
    packageName: PACKAGE,
    logFailure: (message, error) => app.log.error({ err: error }, `${PACKAGE}: ${message}`),
  });

  app.decorate(kInstrumented, true);
  app.decorate('metrics', instrumentation.metrics);
  app.addHook('onRoute', checkRouteConfig);
  instrumentFastify(app, { ...instrumentation, countErrorsOnError: true });
};

/**
 * Records every request of the instance it is registered on (and of its children) into
 * Promenade's HTTP metrics and serves them on `metricsPath`.
 */
export const fastifyMetrics = /* @__PURE__ */ fastifyPlugin(promenadeMetrics, {
  name: PACKAGE,
  fastify: '4.x || 5.x',
});
