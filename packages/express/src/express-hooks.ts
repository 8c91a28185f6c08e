import { IncomingMessage, ServerResponse } from 'node:http';
import { UNMATCHED_ROUTE } from '@promenade/core';
import { frameworkPrototype, hookResponsePrototype } from '@promenade/core/adapter';
import { observeErrors } from './error-capture.js';
import { stateOf } from './request-state.js';
import { buildTemplate, cachedTemplate, type ExpressRoute } from './route-template.js';

/**
 * Hooks installed once on Express's own request and response prototypes (the objects every
 * app's `app.request` and `app.response` inherit from, sub-apps included), the first time a
 * request of that Express copy reaches the middleware. Nothing is added to a request or a
 * response object: see request-state.ts for what that costs under Express.
 *
 * - `route`: Express assigns `req.route` when a route matches. At that moment `req.baseUrl`
 *   is the mount path of the router holding the route; later it may not be (a nested router
 *   that exits through `next(err)` restores its parent's). So `route` becomes an accessor
 *   that computes the full template right there.
 * - the response prototype gets core's hooks (hookResponsePrototype): `write` and `end` count
 *   the body bytes, and `emit('close')` hands the request back for recording, with no
 *   listener per request.
 *
 * Requests that Promenade does not track (an app without the middleware, a path it is not
 * mounted on) keep Express's behaviour: `route` becomes a plain property of the request, and
 * the response's methods only pass through.
 */

const kHooked = Symbol('promenade.hooked');

interface ExpressRequest extends IncomingMessage {
  baseUrl?: string;
  params?: Readonly<Record<string, unknown>>;
}

interface Hookable {
  [kHooked]?: true;
}

function getRoute(this: ExpressRequest): unknown {
  return stateOf(this)?.route;
}

function setRoute(this: ExpressRequest, route: ExpressRoute | undefined): void {
  const state = stateOf(this);
  if (state === undefined) {
    Object.defineProperty(this, 'route', {
      value: route,
      writable: true,
      enumerable: true,
      configurable: true,
    });
    return;
  }
  const base = this.baseUrl;
  // The router sets `req.route` when the route matches, and the route sets it again when it
  // dispatches, after the router has replaced `req.params` with the route's own: a mount
  // path's parameters (a router without mergeParams) are only there the first time.
  if (route === state.route && base === state.routeBase && route !== undefined) return;
  state.route = route;
  state.routeBase = base;
  if (route === undefined || route === null) {
    state.template = UNMATCHED_ROUTE;
    return;
  }
  let template = cachedTemplate(route, base);
  if (template === undefined) {
    // First request of this route under this base: also the moment a sub-app's error
    // handlers, out of reach from its parent's routers, can be found.
    observeErrors((Object.getPrototypeOf(this) as { app?: unknown } | null)?.app);
    template = buildTemplate(route, base, this.params);
  }
  state.template = template;
}

function hide(target: object, key: PropertyKey, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true });
}

/**
 * Installs the hooks on the Express copy serving this request, once per copy. Returns false
 * when the request does not come from an Express app (its prototypes are Node's own).
 */
export function hookExpress(req: IncomingMessage, res: ServerResponse): boolean {
  const requestPrototype = frameworkPrototype(req, IncomingMessage.prototype) as
    | (object & Hookable)
    | undefined;
  const responsePrototype = frameworkPrototype(res, ServerResponse.prototype);
  if (requestPrototype === undefined || responsePrototype === undefined) return false;
  if (requestPrototype[kHooked] !== true) {
    Object.defineProperty(requestPrototype, 'route', {
      get: getRoute,
      set: setRoute,
      enumerable: true,
      configurable: true,
    });
    hide(requestPrototype, kHooked, true);
  }
  hookResponsePrototype(responsePrototype);
  return true;
}

/**
 * Whether this request's Express copy already has the hooks. Read on the request's
 * prototype (its app's `app.request`, an object of stable shape), not on the request.
 */
export function isHooked(req: IncomingMessage): boolean {
  return (Object.getPrototypeOf(req) as Hookable | null)?.[kHooked] === true;
}
