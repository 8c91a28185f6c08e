import { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpRecorder } from '../../http/http-recorder.js';
import { UNMATCHED_ROUTE } from '../../http/labels.js';
import { buildTemplate, cachedTemplate, type ExpressRoute } from './express-route-template.js';
import {
  frameworkPrototype,
  hookRequestPrototype,
  hookResponsePrototype,
  InFlightRequest,
  inFlightRequestOf,
  trackInFlightRequest,
} from './in-flight-requests.js';

/**
 * An Express request's way through Promenade, written once for @promenade/express and for
 * @promenade/nest on its Express platform. Typed by the few members it reads (the same in
 * Express 4 and 5), so core depends on no framework.
 *
 * Nothing is added to a request or a response object (see InFlightRequest for what that costs
 * under Express): each request in flight is an ExpressRequest in core's side table, and two
 * hooks are installed once per copy of Express, on the prototypes every app's `app.request`
 * and `app.response` inherit from (sub-apps included), the first time one of its requests is
 * started:
 * - `route`: Express assigns `req.route` when a route matches. At that moment `req.baseUrl`
 *   is the mount path of the router holding the route; later it may not be (a nested router
 *   that exits through `next(err)` restores its parent's). So `route` becomes an accessor that
 *   computes the full template right there (express-route-template.ts).
 * - the response prototype gets core's hooks (hookResponsePrototype): `write` and `end` count
 *   the body bytes, and `emit('close')` hands the request back for recording, with no
 *   listener per request; the request prototype's `destroy` hands it back when its connection
 *   went before its response could close (hookRequestPrototype: a response queued behind an
 *   unfinished one on a pipelined connection).
 * Requests that are not tracked (an app without Promenade, a path it is not mounted on) keep
 * Express's behaviour: `route` becomes a plain property of the request, and the response's
 * methods only pass through.
 */

/** What is read of an Express request. */
interface ExpressRequestObject extends IncomingMessage {
  baseUrl?: string;
  params?: Readonly<Record<string, unknown>>;
  /** The app serving the request, whose mount paths spell the label. */
  app?: unknown;
}

export interface ExpressLifecycleOptions {
  recorder: HttpRecorder;
  /** Where a failure to record goes; the request goes on either way. */
  reportFailure(error: unknown): void;
  /** Whether the errors noted on a request (noteExpressError) are counted. */
  countErrors: boolean;
  /**
   * Called the first time a route matches under a mount path: the moment a sub-app's own
   * error handlers, out of reach from its parent's routers, can be found.
   */
  onRouteFirstSeen?(req: IncomingMessage): void;
}

/** What Promenade knows about one Express request while it is served. */
export class ExpressRequest extends InFlightRequest {
  /** The Express Route object that matched last, as `req.route` returns it. */
  route: unknown = undefined;
  /** `req.baseUrl` when `route` was set: the concrete mount path of the router holding it. */
  routeBase: string | undefined = undefined;
  /** The route label: the matched route's full template, mount paths included. */
  template: string = UNMATCHED_ROUTE;
  /** Errors raised while serving the request, as the adapter noted them. */
  errors: unknown[] | undefined = undefined;
  /** Answered by a not-found handler that is a route of its own (Nest's, under a global prefix). */
  notFound = false;

  constructor(
    req: IncomingMessage,
    res: ServerResponse,
    startTime: number,
    readonly lifecycle: ExpressLifecycle,
  ) {
    super(req, res, startTime);
  }

  closed(): void {
    this.lifecycle.record(this);
  }
}

/** The Express request core tracks for this request or response object, if any. */
export function expressRequestOf(reqOrRes: object): ExpressRequest | undefined {
  const request = inFlightRequestOf(reqOrRes);
  return request instanceof ExpressRequest ? request : undefined;
}

/**
 * Notes an error raised while serving `req`, once however many error handlers it passes
 * through; it is counted under the request's final route when the response closes.
 */
export function noteExpressError(req: object, error: unknown): void {
  const request = expressRequestOf(req);
  if (request === undefined || !request.lifecycle.countErrors) return;
  if (request.errors === undefined) request.errors = [error];
  else if (!request.errors.includes(error)) request.errors.push(error);
}

/** Labels the request `<unmatched>` and leaves its errors uncounted: a not-found handler answers it. */
export function markExpressNotFound(req: object): void {
  const request = expressRequestOf(req);
  if (request !== undefined) request.notFound = true;
}

/** Records Express requests into one recorder: one per adapter instance. */
export class ExpressLifecycle {
  readonly countErrors: boolean;

  constructor(private readonly options: ExpressLifecycleOptions) {
    this.countErrors = options.countErrors;
  }

  /**
   * Starts recording a request, unless one is already recorded on its response (by a
   * Promenade adapter of a parent app, which keeps it). Never throws.
   */
  start(req: IncomingMessage, res: ServerResponse): void {
    if (inFlightRequestOf(res) !== undefined) return;
    try {
      const hooked = isHooked(req) || hookExpress(req, res);
      const request = new ExpressRequest(req, res, this.options.recorder.startRequest(), this);
      // Outside an Express app nothing counts the body: its size is unknown, not 0.
      if (!hooked) request.responseBytes = Number.NaN;
      // Express's response prototype reports the close itself; any other response needs a listener.
      trackInFlightRequest(request, !hooked);
    } catch (error) {
      this.options.reportFailure(error);
    }
  }

  /** Called by core when the response closes, completed or abandoned, or its connection goes first (499). */
  record(request: ExpressRequest): void {
    const { recorder } = this.options;
    try {
      const route = request.notFound ? UNMATCHED_ROUTE : request.template;
      if (request.errors !== undefined && !request.notFound) {
        const method = request.req.method ?? '';
        for (const error of request.errors) recorder.recordException(method, route, error);
      }
      request.recordInto(recorder, route);
    } catch (error) {
      this.options.reportFailure(error);
    }
  }

  routeFirstSeen(req: IncomingMessage): void {
    this.options.onRouteFirstSeen?.(req);
  }
}

const kHooked = Symbol('promenade.expressHooked');

interface Hookable {
  [kHooked]?: true;
}

function getRoute(this: ExpressRequestObject): unknown {
  return expressRequestOf(this)?.route;
}

function setRoute(this: ExpressRequestObject, route: ExpressRoute | undefined): void {
  const state = expressRequestOf(this);
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
    state.lifecycle.routeFirstSeen(this);
    template = buildTemplate(route, base, this.params, this.app);
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
function hookExpress(req: IncomingMessage, res: ServerResponse): boolean {
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
    hookRequestPrototype(requestPrototype);
    hide(requestPrototype, kHooked, true);
  }
  hookResponsePrototype(responsePrototype);
  return true;
}

/**
 * Whether this request's Express copy already has the hooks. Read on the request's
 * prototype (its app's `app.request`, an object of stable shape), not on the request.
 */
function isHooked(req: IncomingMessage): boolean {
  return (Object.getPrototypeOf(req) as Hookable | null)?.[kHooked] === true;
}
