import type { HttpMetricsOptions, MetricFactories } from '@promenade/core';

/** The plugin's options: the same HTTP options every Promenade adapter accepts. */
export type FastifyMetricsOptions = HttpMetricsOptions;

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
