import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';
import { matchesOf } from './match-result.js';

const UNMATCHED_ROUTE = '<unmatched>';
// What Hono registers `app.use()` middleware (and `app.all()` routes) under.
const EVERY_METHOD = 'ALL';

interface MatchedRoute {
  readonly method: string;
  readonly path: string;
}

/**
 * The template of the route that answered a request, from Hono's own match: the handlers Hono
 * matched, in order, and `routeIndex`, the one it dispatched last. Hono registers middleware
 * (`app.use`) for every method, as it does `app.all` routes, so of those:
 * - one that answered while a later match was waiting is a middleware (an authentication check
 *   that said 401): `<unmatched>`, as a request answered by middleware is on Express;
 * - the last match, when the answer is a 404 or the client left first, passed the request on to
 *   Hono's not-found handler (or was holding it): `<unmatched>`;
 * - the last match otherwise answered itself (`app.all('/graphql')`, a static file server under
 *   `/static/*`): its path, which the application wrote.
 * Never the request's path.
 */
export function routeTemplateOf(c: Context, mayBeNotFound: boolean): string {
  const index = c.req.routeIndex;
  const matches = matchesOf(c.req);
  if (matches !== undefined) {
    const match = matches[index];
    if (match === undefined) return UNMATCHED_ROUTE;
    return templateOf(match[0][1], index < matches.length - 1, mayBeNotFound);
  }
  const routes = matchedRoutes(c);
  const route = routes[index];
  if (route === undefined) return UNMATCHED_ROUTE;
  return templateOf(route, index < routes.length - 1, mayBeNotFound);
}

function templateOf(route: MatchedRoute, laterMatchWaiting: boolean, mayBeNotFound: boolean): string {
  if (route.method === EVERY_METHOD && (laterMatchWaiting || mayBeNotFound)) return UNMATCHED_ROUTE;
  return route.path;
}
