import { UNMATCHED_ROUTE } from '@promenade/core';

/** What Express leaves on a request it routed. */
export interface ExpressRoutedRequest {
  route?: { path?: unknown };
  baseUrl?: string;
}

// Requests answered by Nest's not-found handler. On Express, with a global prefix, that
// handler is itself a route (`*path` on a router mounted at the prefix), so `req.route` alone
// cannot tell a miss from a match.
const notFound = new WeakSet<object>();

export function markNotFound(request: object): void {
  notFound.add(request);
}

/** Whether Nest's not-found handler answers this Express request. */
export function isNotFound(request: object): boolean {
  return notFound.has(request);
}

/**
 * The template Express matched: the path Nest registered on the app's router, global prefix
 * and URI version included (`/api/v1/dogs/:id`), after a mount path for routers of the app's own.
 */
export function expressRouteTemplate(req: ExpressRoutedRequest): string {
  const path = req.route?.path;
  if (typeof path !== 'string' || notFound.has(req)) return UNMATCHED_ROUTE;
  return req.baseUrl ? req.baseUrl + path : path;
}
