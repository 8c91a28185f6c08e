import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';

const UNMATCHED_ROUTE = '<unmatched>';
// What Hono registers `app.use()` middleware (and `app.all()` routes) under.
const EVERY_METHOD = 'ALL';

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
  const routes = matchedRoutes(c);
  const index = c.req.routeIndex;
  const route = routes[index];
  if (route === undefined) return UNMATCHED_ROUTE;
  if (route.method === EVERY_METHOD && (index < routes.length - 1 || mayBeNotFound)) return UNMATCHED_ROUTE;
  return route.path;
}
