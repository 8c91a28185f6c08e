/**
 * How a Fastify request's route is read: its `config`, an object Fastify builds once per route
 * when the route is declared, holding the template (`url`, prefix included) beside the route's
 * own config (`metrics.exclude`). A not-found request's config has no `url`.
 *
 * The public way to it, `request.routeOptions`, is a getter that builds a new object of twelve
 * fields on every read (frozen, with two accessors, in Fastify 4) and reads the server's body
 * limit and router through generic property paths: about 500 instructions of a request in
 * Promenade's instruction count (bench/RESULTS.md). Fastify 4 and 5 keep the route's context,
 * whose `config` that getter returns, on the request under a symbol described
 * 'fastify.context'; it is not documented, so it is used only once proven: found on the first
 * request a reader sees and taken only if it leads to the very object the public getter returns
 * for that request. Otherwise (a Fastify that moved it) every request goes through the getter,
 * as before, and only costs more.
 */

/** What is read of a route's config. */
export interface FastifyRouteConfig {
  /** The route template, prefix included; absent for a request no route matched. */
  readonly url?: string;
  readonly metrics?: { readonly exclude?: unknown };
}

/** What a route reader needs of a Fastify request. */
export interface RoutedRequest {
  readonly routeOptions: { readonly config?: FastifyRouteConfig };
}

/** Returns a request's route config (undefined if Fastify gives none). */
export type RouteConfigReader = (request: RoutedRequest) => FastifyRouteConfig | undefined;

const ROUTE_CONTEXT_DESCRIPTION = 'fastify.context';

type RouteContexts = Record<symbol, { readonly config?: FastifyRouteConfig } | undefined>;

/**
 * The symbol under which `request` holds its route's context, if it leads where the getter does;
 * null if none does; undefined if the getter gives no config to compare with (look again).
 */
function findRouteContextKey(request: RoutedRequest): symbol | null | undefined {
  const config = request.routeOptions.config;
  if (config === undefined) return undefined;
  for (const key of Object.getOwnPropertySymbols(request)) {
    if (key.description !== ROUTE_CONTEXT_DESCRIPTION) continue;
    const context = (request as unknown as RouteContexts)[key];
    if (context?.config === config) return key;
  }
  return null;
}

/**
 * A reader for the requests of one Fastify instance (a process may load two copies of Fastify,
 * each with its own symbols). It looks for the route context on the first request that has a
 * config, once.
 */
export function createRouteConfigReader(): RouteConfigReader {
  /** undefined: not looked for yet; null: not found, the public getter is used. */
  let routeContextKey: symbol | null | undefined;
  return function routeConfig(request) {
    if (routeContextKey === undefined) routeContextKey = findRouteContextKey(request);
    if (routeContextKey == null) return request.routeOptions.config;
    return (request as unknown as RouteContexts)[routeContextKey]?.config;
  };
}
