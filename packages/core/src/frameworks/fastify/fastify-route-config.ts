/**
 * How a Fastify request's route is read: its `config`, which Fastify builds once per route with
 * the template as `url` (absent for a request no route matched), beside the route's own config
 * (`metrics.exclude`). Read through the route context Fastify keeps on the request rather than
 * through `request.routeOptions`, a getter that builds an object on every read; the context's
 * symbol is not documented, so it is only taken once it is proven to lead where the getter does
 * (docs/architecture.md, "What is read of a Fastify request").
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
