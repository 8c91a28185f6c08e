import type { HttpMetricsOptions, MetricFactories } from '@promenade/core';
import type { MiddlewareHandler } from 'hono';

/**
 * The middleware's options: the same HTTP options every Promenade adapter accepts. An interface,
 * not an alias, so that a compile error about a misspelt option names this type.
 */
export interface HonoMetricsOptions extends HttpMetricsOptions {}

/** What `metricsMiddleware()` returns: a Hono middleware carrying the business-metric factories. */
export type MetricsMiddleware = MiddlewareHandler & {
  /** Idempotent business-metric factories bound to the middleware's registry. */
  readonly metrics: MetricFactories;
};
