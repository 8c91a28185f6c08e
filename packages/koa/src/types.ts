import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpMetricsOptions, MetricFactories } from '@promenade/core';

/**
 * The middleware's options: the same HTTP options every Promenade adapter accepts. An interface,
 * not an alias, so that a compile error about a misspelt option names this type.
 */
export interface KoaMetricsOptions extends HttpMetricsOptions {}

/** What the middleware reads and writes of a Koa application: the `'error'` event. */
export interface KoaApplicationFacts {
  on(event: 'error', listener: (error: unknown, ctx?: unknown) => void): unknown;
}

/**
 * What the middleware reads and writes of Koa's context. Typed by these few members (the same
 * in Koa 2 and 3) rather than by Koa's own types, so that the declarations need no @types/koa.
 */
export interface KoaContextFacts {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly app: KoaApplicationFacts;
  /** The matched route's path, prefixes included, as @koa/router (and koa-router) set it. */
  readonly _matchedRoute?: string | RegExp;
  status: number;
  body: unknown;
  set(headers: Record<string, string>): void;
}

/**
 * What `metricsMiddleware()` returns: a Koa middleware, carrying the business-metric factories
 * bound to its registry.
 */
export interface MetricsMiddleware {
  (ctx: KoaContextFacts, next: () => Promise<unknown>): Promise<unknown>;
  /** Idempotent business-metric factories bound to the middleware's registry. */
  readonly metrics: MetricFactories;
}
