import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpMetricsOptions, MetricFactories } from '@promenade/core';

/**
 * The middleware's options: the same HTTP options every Promenade adapter accepts. An interface,
 * not an alias, so that a compile error about a misspelt option names this type.
 */
export interface ExpressMetricsOptions extends HttpMetricsOptions {}

/**
 * What `metricsMiddleware()` returns: an Express middleware, typed with Node's request and
 * response so that it fits Express 4 and 5 alike, carrying the business-metric factories
 * bound to its registry.
 */
export interface MetricsMiddleware {
  (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void;
  /** Idempotent business-metric factories bound to the middleware's registry. */
  readonly metrics: MetricFactories;
}
