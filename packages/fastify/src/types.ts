import type { HttpMetricsOptions, MetricFactories } from '@promenade/core';

/**
 * The plugin's options: the same HTTP options every Promenade adapter accepts. An interface,
 * not an alias, so that a compile error about a misspelt option names this type.
 */
export interface FastifyMetricsOptions extends HttpMetricsOptions {}

/** Per-route settings, given in the route's `config.metrics`. */
export interface RouteMetricsConfig {
  /** Leave this route's requests out of the HTTP metrics (a health check, a metrics route). */
  exclude?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Idempotent business-metric factories bound to the plugin's registry. */
    metrics: MetricFactories;
  }

  interface FastifyContextConfig {
    metrics?: RouteMetricsConfig;
  }
}
