import { IncomingMessage, ServerResponse } from 'node:http';
import { chunkBytes } from './body-bytes.js';
import { defineHidden, type Method, named } from './wrapped-method.js';

/**
 * The one module that watches Node's responses for the lifecycles of every framework. It hooks
 * Node's own prototypes once per process, before the first request (a prototype changed after
 * V8 has optimized code for its instances sends that code down V8's generic paths for good):
 * - `ServerResponse.prototype.write`/`end` add the body bytes to the response's observer as
 *   they are written, whatever writes them (a stream, a compression middleware, a hijacked
 *   reply), which is the size of a response without a Content-Length too;
 * - `ServerResponse.prototype.emit('finish')` tells an observer kept on the response that it
 *   finished, and `emit('close')` tells the observer that the response closed, finished or not
 *   (its client went away), both before the response's own listeners run;
 * - `IncomingMessage.prototype.destroy` with an error after the connection went tells it too:
 *   when a connection dies, Node destroys each of its unfinished requests, and on Node 20 and
 *   22 a response queued behind an unfinished one on a pipelined connection never closes.
 * Responses nobody observes pass through after one look-up. Every call into an observer is
 * guarded: whatever it throws goes to its own failure report, never into Node's method, whose
 * caller (often the application's own listeners) goes on as if Promenade were not there.
 *
 * A request's observer is kept where it costs its framework least (docs/architecture.md):
 * - on the response itself, under kResponseObserver, where the framework hands Node's own
 *   objects around (Fastify, Koa): one property on an object of one stable shape, read by the
 *   hooks without a step through `res.req`; and on the request too while the response waits
 *   behind another on its connection, the one case in which only the request is told;
 * - in a side table keyed by the request and the response, where every app gives its requests
 *   a prototype of its own (Express), on which a property costs far more. The table is a Map,
 *   emptied when the request is handed back, so it holds the requests in flight and no more.
 */

/** What a request's response reports to while Promenade observes it. */
export interface ResponseObserver {
  /** Body bytes handed to `write`/`end` so far (NaN: not counted, left alone). */
  responseBytes: number;
  /**
   * The response finished (`completed`), or closed unfinished, or its request's connection went
   * before it could (not completed). An observer kept on the response is told when it finishes,
   * the moment Fastify runs its own onResponse hooks (a response closes a tick later, and one
   * that a test tool injects, light-my-request's, is not `writableFinished` when it closes), and
   * is then taken off the response and its request; one kept in the side table is told when its
   * response closes. Each is told once, with one exception it must bear: a request that waited
   * behind another response on a connection that died may be told by its response's close and
   * by its own destroy, and acts once.
   */
  closed(completed: boolean): void;
  /** Where a failure of the observer's own goes (it is said, never thrown). */
  failed(error: unknown): void;
}

/**
 * Where a response (and a request whose response waits behind another) keeps its observer:
 * undefined while no lifecycle has seen the request, null when it was seen and is not to be
 * observed (a route that opted out).
 */
export const kResponseObserver = Symbol('promenade.responseObserver');

const kObserves = Symbol('promenade.observesResponses');

interface ObservedRequest {
  readonly socket?: { readonly destroyed?: boolean } | null;
  destroy: Method;
  [kResponseObserver]?: ResponseObserver | null;
  [kObserves]?: true;
}

interface ObservedResponse {
  readonly req?: ObservedRequest;
  readonly socket?: object | null;
  [kResponseObserver]?: ResponseObserver | null;
  readonly writableFinished?: boolean;
  write: Method;
  end: Method;
  emit: Method;
  [kObserves]?: true;
}

/** An observer kept in the side table: it knows the two objects it is kept under. */
export interface TrackedObserver extends ResponseObserver {
  readonly req: object;
  readonly res: object;
}

/** Observers of requests whose framework gives them a prototype of their own, by request and response. */
const table = new Map<object, TrackedObserver>();

/**
 * Observes `res` and its request `req` through a property on Node's own response object. A
 * response queued behind another on a pipelined connection has no socket yet, and should the
 * connection die it never closes: only its request is destroyed, so the request carries the
 * observer too. Any other request is left as Node made it.
 */
export function observeResponse(req: object, res: object, observer: ResponseObserver | null): void {
  const response = res as ObservedResponse;
  response[kResponseObserver] = observer;
  if (response.socket == null) (req as ObservedRequest)[kResponseObserver] = observer;
}

/** Observes a request and its response through the side table, until it is handed back. */
export function observeInTable(observer: TrackedObserver): void {
  table.set(observer.req, observer);
  table.set(observer.res, observer);
}

/** The observer kept in the side table for this request or response; undefined when none. */
export function tableObserverOf(reqOrRes: object): TrackedObserver | undefined {
  return table.get(reqOrRes);
}

/**
 * The observer of a response: in the table, else on the response; undefined when never seen.
 * The table is asked first, and only when it holds anything: a response with a prototype of its
 * app's has a shape of its own, and a property it lacks is looked up by V8's slowest path.
 */
function observerOf(res: ObservedResponse): ResponseObserver | null | undefined {
  if (table.size !== 0) {
    const tracked = table.get(res);
    if (tracked !== undefined) return tracked;
  }
  return res[kResponseObserver];
}

/** Told when a response ends whose request no lifecycle has seen (frameworks/fastify/unseen-responses.ts). */
let unobservedEnding: ((res: object, chunk: unknown, encoding: unknown) => void) | undefined;

/** Sets who is told when a response ends whose request has no observer at all. */
export function onUnobservedEnding(listener: (res: object, chunk: unknown, encoding: unknown) => void): void {
  unobservedEnding = listener;
}

function count(observer: ResponseObserver, chunk: unknown, encoding: unknown): void {
  try {
    observer.responseBytes += chunkBytes(chunk, encoding);
  } catch (error) {
    fail(observer, error);
  }
}

function fail(observer: ResponseObserver, error: unknown): void {
  try {
    observer.failed(error);
  } catch {
    // Nothing may reach Node's caller.
  }
}

/** Takes an observer out of the table, so that it is told once. */
function untracked(reqOrRes: object): TrackedObserver | undefined {
  if (table.size === 0) return undefined;
  const tracked = table.get(reqOrRes);
  if (tracked !== undefined) {
    table.delete(tracked.req);
    table.delete(tracked.res);
  }
  return tracked;
}

function tell(observer: ResponseObserver, completed: boolean): void {
  try {
    observer.closed(completed);
  } catch (error) {
    fail(observer, error);
  }
}

/**
 * A response finished: an observer kept on it (not one in the side table, told at the close) is
 * told, after it is taken off the response and its request so that nothing tells it again.
 */
function responseFinished(res: ObservedResponse): void {
  if (table.size !== 0 && table.has(res)) return;
  const observer = res[kResponseObserver];
  if (observer == null) return;
  res[kResponseObserver] = null;
  const { req } = res;
  if (req !== undefined && req[kResponseObserver] === observer) req[kResponseObserver] = null;
  tell(observer, true);
}

/** A response closed: its observer is told whether it finished. */
function responseClosed(res: ObservedResponse): void {
  const observer = untracked(res) ?? res[kResponseObserver];
  if (observer != null) tell(observer, res.writableFinished === true);
}

/** A request's connection went before its response could finish. */
function connectionLost(req: ObservedRequest): void {
  const observer = untracked(req) ?? req[kResponseObserver];
  if (observer != null) tell(observer, false);
}

function observingWrite(write: Method): Method {
  return named(function (this: object, chunk: unknown, encoding: unknown) {
    const observer = observerOf(this as ObservedResponse);
    if (observer != null) count(observer, chunk, encoding);
    // biome-ignore lint/complexity/noArguments: passes every argument on without an array per call
    return write.apply(this, arguments as never);
  }, write);
}

function observingEnd(end: Method): Method {
  return named(function (this: object, chunk: unknown, encoding: unknown) {
    const observer = observerOf(this as ObservedResponse);
    if (observer != null) {
      if (typeof chunk !== 'function') count(observer, chunk, encoding);
    } else if (observer === undefined && unobservedEnding !== undefined) {
      try {
        unobservedEnding(this, chunk, encoding);
      } catch {
        // Unseen responses are recorded at best; never at the response's expense.
      }
    }
    // biome-ignore lint/complexity/noArguments: passes every argument on without an array per call
    return end.apply(this, arguments as never);
  }, end);
}

function observingEmit(emit: Method): Method {
  return named(function (this: object, event: unknown) {
    if (event === 'finish') responseFinished(this as ObservedResponse);
    else if (event === 'close') responseClosed(this as ObservedResponse);
    // A response's own events ('prefinish', 'finish', 'close') carry no argument: a plain call
    // costs less than forwarding `arguments`, and listeners see the same arguments either way.
    // biome-ignore lint/complexity/noArguments: counts the arguments without an array per call
    if (arguments.length === 1) return emit.call(this, event);
    // biome-ignore lint/complexity/noArguments: passes every argument on without an array per call
    return emit.apply(this, arguments as never);
  }, emit);
}

/** A request is destroyed without an error once its body is read: only a lost connection counts. */
function observingDestroy(destroy: Method): Method {
  return named(function (this: object, error: unknown) {
    const req = this as ObservedRequest;
    if (error != null && req.socket?.destroyed === true) connectionLost(req);
    // biome-ignore lint/complexity/noArguments: passes every argument on without an array per call
    return destroy.apply(this, arguments as never);
  }, destroy);
}

function hookResponses(prototype: object): void {
  const target = prototype as ObservedResponse;
  defineHidden(target, 'write', observingWrite(target.write));
  defineHidden(target, 'end', observingEnd(target.end));
  defineHidden(target, 'emit', observingEmit(target.emit));
  defineHidden(target, kObserves, true);
}

/**
 * Hooks Node's ServerResponse.prototype and IncomingMessage.prototype, once per process. Call
 * it when an app is instrumented, before its first request.
 */
export function observeNodeResponses(): void {
  if ((ServerResponse.prototype as ObservedResponse)[kObserves] !== true)
    hookResponses(ServerResponse.prototype);
  const requests = IncomingMessage.prototype as ObservedRequest;
  if (requests[kObserves] !== true) {
    defineHidden(requests, 'destroy', observingDestroy(requests.destroy));
    defineHidden(requests, kObserves, true);
  }
}

/**
 * Makes sure `res` reports to its observer: an HTTP/1 response through Node's prototype, below
 * any class a tool derives from it (light-my-request's `end(data)` calls its own `write(data)`:
 * hooked on its prototype, that body would be counted twice), any other (HTTP/2's) through its
 * own prototype, hooked once.
 */
export function observeResponses(res: object): void {
  if ((res as ObservedResponse)[kObserves] === true) return;
  if (res instanceof ServerResponse) observeNodeResponses();
  else hookResponses(Object.getPrototypeOf(res) as object);
}

/**
 * Whether `res` can no longer finish: it closed before it finished, or its request's
 * connection went (a response queued behind an unfinished one, which does not close).
 */
export function clientLeft(res: {
  readonly destroyed?: boolean;
  readonly writableFinished?: boolean;
  readonly req?: { readonly socket?: { readonly destroyed?: boolean } | null };
}): boolean {
  return (res.destroyed === true || res.req?.socket?.destroyed === true) && res.writableFinished !== true;
}
