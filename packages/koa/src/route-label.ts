import { UNMATCHED_ROUTE } from '@promenade/core/adapter';
import type { KoaContextFacts } from './types.js';

/**
 * The route label of a Koa request: the path of the route @koa/router matched, with its router's
 * prefixes (the template, never the client's path), else `<unmatched>`.
 *
 * `_matchedRoute` rather than the documented `routerPath`: the router sets it to the matched
 * route before any of the route's middleware runs, so an error a route-level middleware raises
 * is counted under the route, and every release of @koa/router and of koa-router before it sets
 * it; `routerPath` is also an input to the router's matching. A RegExp route is labelled by its
 * source text, which the application wrote.
 */
export function routeLabel(ctx: KoaContextFacts): string {
  const route = ctx._matchedRoute;
  if (typeof route === 'string') return route;
  return route === undefined ? UNMATCHED_ROUTE : String(route);
}
