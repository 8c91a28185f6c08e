import { UNMATCHED_ROUTE } from '@promenade/core/adapter';
import type { KoaContextFacts } from './types.js';

/**
 * The path of the route @koa/router matched, with its routers' prefixes, else `<unmatched>`.
 * `_matchedRoute` rather than the documented `routerPath`: it is set to the route before the
 * route's own middleware runs, by every release of @koa/router and koa-router, and it is not
 * an input to the router's matching as `routerPath` is. A RegExp route is labelled by its text.
 */
export function routeLabel(ctx: KoaContextFacts): string {
  const route = ctx._matchedRoute;
  if (typeof route === 'string') return route;
  return route === undefined ? UNMATCHED_ROUTE : String(route);
}
