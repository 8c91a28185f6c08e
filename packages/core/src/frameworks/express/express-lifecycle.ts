import { IncomingMessage, type ServerResponse } from 'node:http';
import type { ExemplarLabels } from '../../exposition/exposed-family.js';
import type { FailureReporter } from '../../failures/failure-reporter.js';
import { requestBodyBytes } from '../../http/body-bytes.js';
import type { HttpRecorder } from '../../http/http-recorder.js';
import { CLIENT_CLOSED_REQUEST, UNMATCHED_ROUTE } from '../../http/labels.js';
import {
  observeInTable,
  observeNodeResponses,
  observeResponses,
  type TrackedObserver,
  tableObserverOf,
} from '../../http/response-observer.js';
import { buildTemplate, cachedTemplate, type ExpressRoute } from './express-route-template.js';

/**
 * An Express request's way through Promenade, written once for @promenade/express and for
 * @promenade/nest on its Express platform. Typed by the few members it reads (the same in
 * Express 4 and 5), so core depends on no framework.
 *
 * Nothing is added to a request or a response object: under Express each has a prototype of
 * its app's, on which a property costs far more than a side-table entry (docs/architecture.md,
 * "Why nothing is added to Express's requests and responses"). Each request in flight is an
 * ExpressRequest in the response observer's side table (http/response-observer.ts), whose hooks
 * on Node's prototypes count its body and hand it back when its response closes or its
 * connection goes. One hook is Express's own, installed once per copy of Express on the
 * prototype every app's `app.request` inherits from (sub-apps included), the first time one of
 * its requests is started:
 * - `route`: Express assigns `req.route` when a route matches. At that moment `req.baseUrl`
 *   is the mount path of the router holding the route; later it may not be (a nested router
 *   that exits through `next(err)` restores its parent's). So `route` becomes an accessor that
 *   computes the full template right there (express-route-template.ts).
 * Requests that are not tracked (an app without Promenade, a path it is not mounted on) keep
 * Express's behaviour: `route` becomes a plain property of the request.
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
  failures: FailureReporter;
  /** Whether the errors noted on a request (noteExpressError) are counted. */
  countErrors: boolean;
  /**
   * Called the first time a route matches under a mount path: the moment a sub-app's own
   * error handlers, out of reach from its parent's routers, can be found.
   */
  onRouteFirstSeen?(req: IncomingMessage): void;
}

/** What Promenade knows about one Express request while it is served. */
export class ExpressRequest implements TrackedObserver {
  /** Body bytes handed to `write`/`end`, counted by the response observer. */
  responseBytes = 0;
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
  /** The active trace when the request started, with exemplars on: the latency's exemplar. */
  trace: ExemplarLabels | undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly startTime: number,
    /** The lifecycle's options: where it records, and what it counts. */
    readonly recording: ExpressLifecycleOptions,
  ) {
    this.trace = recording.recorder.traceAtStart();
  }

  closed(completed: boolean): void {
    recordRequest(this, completed);
  }

  failed(error: unknown): void {
    this.recording.failures.report('recording a request failed', error);
  }
}

/**
 * Records a request when its response closed (`completed`: it finished) or its connection went
 * first: then as 499, the client went away, with no response size (unknown).
 */
function recordRequest(request: ExpressRequest, completed: boolean): void {
  const { recorder } = request.recording;
  const { req, res } = request;
  const route = request.notFound ? UNMATCHED_ROUTE : request.template;
  if (request.errors !== undefined && !request.notFound) {
    const method = req.method ?? '';
    for (const error of request.errors) recorder.recordException(method, route, error);
  }
  recorder.finishRequestStartedAt(
    req.method ?? '',
    route,
    completed ? res.statusCode : CLIENT_CLOSED_REQUEST,
    request.startTime,
    requestBodyBytes(req.headers),
    completed ? request.responseBytes : Number.NaN,
    request.trace,
  );
}

/** The Express request core tracks for this request or response object, if any. */
export function expressRequestOf(reqOrRes: object): ExpressRequest | undefined {
  const request = tableObserverOf(reqOrRes);
  return request instanceof ExpressRequest ? request : undefined;
}

/**
 * Notes an error raised while serving `req`, once however many error handlers it passes
 * through; it is counted under the request's final route when the response closes.
 */
export function noteExpressError(req: object, error: unknown): void {
  const request = expressRequestOf(req);
  if (request === undefined || !request.recording.countErrors) return;
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
  constructor(private readonly options: ExpressLifecycleOptions) {
    // Before the first request: see http/response-observer.ts.
    observeNodeResponses();
  }

  /**
   * Starts recording a request, unless one is already recorded on its response (by a
   * Promenade adapter of a parent app, which keeps it). Never throws.
   */
  start(req: IncomingMessage, res: ServerResponse): void {
    if (tableObserverOf(res) !== undefined) return;
    try {
      // Outside an Express app (no prototype of Express's to hook) the request is recorded
      // `<unmatched>`; a response of another class than Node's gets its prototype hooked.
      if (!isHooked(req) && !hookExpress(req)) observeResponses(res);
      const { options } = this;
      observeInTable(new ExpressRequest(req, res, options.recorder.startRequest(), options));
    } catch (error) {
      this.options.failures.report('recording a request failed', error);
    }
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
    state.recording.onRouteFirstSeen?.(this);
    template = buildTemplate(route, base, this.params, this.app);
  }
  state.template = template;
}

function hide(target: object, key: PropertyKey, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true });
}

/**
 * Of the objects `value` inherits from, the one whose prototype is `nodePrototype`: the
 * prototype a framework shares between its apps (Express's request, above Node's own).
 * Undefined when `value` inherits from `nodePrototype` directly (a plain Node request).
 */
function frameworkPrototype(value: object, nodePrototype: object): object | undefined {
  let current = Object.getPrototypeOf(value) as object | null;
  while (current !== null) {
    const parent = Object.getPrototypeOf(current) as object | null;
    if (parent === nodePrototype) return current;
    current = parent;
  }
  return undefined;
}

/**
 * Installs the `route` accessor on the Express copy serving this request, once per copy.
 * Returns false when the request does not come from an Express app (its prototype is Node's).
 */
function hookExpress(req: IncomingMessage): boolean {
  const requestPrototype = frameworkPrototype(req, IncomingMessage.prototype) as
    | (object & Hookable)
    | undefined;
  if (requestPrototype === undefined) return false;
  if (requestPrototype[kHooked] !== true) {
    Object.defineProperty(requestPrototype, 'route', {
      get: getRoute,
      set: setRoute,
      enumerable: true,
      configurable: true,
    });
    hide(requestPrototype, kHooked, true);
  }
  return true;
}

/**
 * Whether this request's Express copy already has the hooks. Read on the request's
 * prototype (its app's `app.request`, an object of stable shape), not on the request.
 */
function isHooked(req: IncomingMessage): boolean {
  return (Object.getPrototypeOf(req) as Hookable | null)?.[kHooked] === true;
}
