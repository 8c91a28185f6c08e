import type { IncomingMessage, ServerResponse } from 'node:http';
import { noteExpressError } from '@promenade/core/adapter';

/**
 * Sees the errors that handlers throw or pass to `next(err)`, with no extra middleware
 * from the user.
 *
 * Express hands an error only to error-handling middleware (four parameters) placed after
 * the handler that failed, and to its final handler when none answers. A middleware
 * installed first runs before all of them and never sees the error; observing the response
 * shows the 500, not the error. So the first time a request reaches an app, its routers are
 * walked once: every error-handling middleware (app, router and route level) is wrapped so
 * that the error is noted on the request before it runs, and an error observer is appended
 * to the app's router for the errors no handler answers. Nothing of this runs on a request
 * that raises no error. Error handlers added after an app's first request are not observed
 * (the request still gets its final status).
 */

/** Set on an app, a router or a wrapper once it is observed. */
const kObserved = Symbol('promenade.errorsObserved');

type Next = (error?: unknown) => void;
type ErrorHandler = (error: unknown, req: IncomingMessage, res: ServerResponse, next: Next) => unknown;

interface Layer {
  handle: unknown;
  route?: { stack?: unknown };
}

interface Observable {
  [kObserved]?: boolean;
}

function isObserved(value: unknown): boolean {
  return (value as Observable | undefined)?.[kObserved] === true;
}

function markObserved(value: object): void {
  Object.defineProperty(value, kObserved, { value: true });
}

// Four parameters, so that Express calls it with errors only.
function noteUnansweredError(error: unknown, req: IncomingMessage, _res: ServerResponse, next: Next): void {
  noteExpressError(req, error);
  next(error);
}
markObserved(noteUnansweredError);

/** One wrapper per error-handling middleware, made once; it keeps the four parameters Express looks for. */
function observing(handler: ErrorHandler): ErrorHandler {
  const observed = function (
    this: unknown,
    error: unknown,
    req: IncomingMessage,
    res: ServerResponse,
    next: Next,
  ) {
    noteExpressError(req, error);
    return handler.call(this, error, req, res, next);
  };
  markObserved(observed);
  // Stack traces and router listings keep showing the application's handler.
  Object.defineProperty(observed, 'name', { value: handler.name, configurable: true });
  return observed;
}

function observeLayers(stack: readonly Layer[]): void {
  for (const layer of stack) {
    const handle = layer.handle;
    if (typeof handle !== 'function') continue;
    if (handle.length === 4 && !isObserved(handle)) layer.handle = observing(handle as ErrorHandler);
    const routeStack = layer.route?.stack;
    if (Array.isArray(routeStack)) {
      observeLayers(routeStack);
      continue;
    }
    const nested = (handle as { stack?: unknown }).stack;
    // A nested router is a function with a stack; marked, so that one mounted twice is walked once.
    if (Array.isArray(nested) && !isObserved(handle)) {
      markObserved(handle);
      observeLayers(nested);
    }
  }
}

interface ExpressRouter {
  stack: Layer[];
  use(handler: unknown): unknown;
}

/** The router of an Express 4 (`_router`) or Express 5 (`router`) app. */
function routerOf(app: Record<string, unknown>): ExpressRouter | undefined {
  // Express 4's `app.router` is a getter that throws, hence `_router` first.
  const router = (app._router ?? app.router) as Partial<ExpressRouter> | undefined;
  return router && Array.isArray(router.stack) && typeof router.use === 'function'
    ? (router as ExpressRouter)
    : undefined;
}

/** The app a request is being served by, read from its prototype (`app.request`), not from the request. */
export function appOf(req: IncomingMessage): unknown {
  return (Object.getPrototypeOf(req) as { app?: unknown } | null)?.app;
}

/** Observes the errors of an Express app, once; later calls cost a property read. */
export function observeErrors(app: unknown): void {
  if (typeof app !== 'function' || isObserved(app)) return;
  markObserved(app);
  const router = routerOf(app as unknown as Record<string, unknown>);
  if (router === undefined) return;
  observeLayers(router.stack);
  router.use(noteUnansweredError);
}
