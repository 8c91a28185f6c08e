import { IncomingMessage, ServerResponse } from 'node:http';
import { chunkBytes } from './body-bytes.js';
import { defineHidden, type Method, named } from './wrapped-method.js';

/**
 * What a request's response reports to, as it happens, through core's hooks on the response
 * prototype: the body bytes as they are written, and a close before the response finished
 * (the client went away).
 */
export interface ResponseObserver {
  /** Body bytes handed to `write`/`end` so far. */
  responseBytes: number;
  /**
   * Called when the response closes before it finished, or when Node destroys its request
   * because the connection went (a response queued behind an unfinished one on a pipelined
   * connection never closes on Node 20 and 22): possibly both, so it must act once. Must not
   * throw.
   */
  closedUnfinished(): void;
}

/**
 * Where a request (Node's, the `req` of its response) keeps its ResponseObserver: undefined
 * while nobody observes it, null when nothing is to be observed.
 */
export const kResponseObserver = Symbol('promenade.responseObserver');

const kObservesResponses = Symbol('promenade.observesResponses');

/** What tells whether a request's connection is gone. */
interface ConnectedRequest {
  readonly socket?: { readonly destroyed?: boolean } | null;
}

interface ObservedRequest extends ConnectedRequest {
  destroy: Method;
  [kResponseObserver]?: ResponseObserver | null;
  [kObservesResponses]?: true;
}

interface ObservedResponse {
  readonly req?: ObservedRequest;
  readonly writableFinished?: boolean;
  write: Method;
  end: Method;
  emit: Method;
  [kObservesResponses]?: true;
}

/** Told when a response ends whose request no lifecycle has seen (unseen-responses.ts). */
let unobservedEnding: ((res: object, chunk: unknown, encoding: unknown) => void) | undefined;

/** Sets who is told when a response ends whose request holds no observer at all. */
export function onUnobservedEnding(listener: (res: object, chunk: unknown, encoding: unknown) => void): void {
  unobservedEnding = listener;
}

function observingWrite(write: Method): Method {
  return named(function (this: object, chunk: unknown, encoding: unknown) {
    const observer = (this as ObservedResponse).req?.[kResponseObserver];
    if (observer != null) observer.responseBytes += chunkBytes(chunk, encoding);
    // biome-ignore lint/complexity/noArguments: passes every argument on without an array per call
    return write.apply(this, arguments as never);
  }, write);
}

function observingEnd(end: Method): Method {
  return named(function (this: object, chunk: unknown, encoding: unknown) {
    const observer = (this as ObservedResponse).req?.[kResponseObserver];
    if (observer != null) {
      if (typeof chunk !== 'function') observer.responseBytes += chunkBytes(chunk, encoding);
    } else if (observer === undefined) unobservedEnding?.(this, chunk, encoding);
    // biome-ignore lint/complexity/noArguments: passes every argument on without an array per call
    return end.apply(this, arguments as never);
  }, end);
}

/** `emit`, telling the observer of a response that closes unfinished before its own listeners run. */
function observingEmit(emit: Method): Method {
  return named(function (this: object, event: unknown) {
    if (event === 'close') {
      const res = this as ObservedResponse;
      if (res.writableFinished !== true) res.req?.[kResponseObserver]?.closedUnfinished();
    }
    // biome-ignore lint/complexity/noArguments: passes every argument on without an array per call
    return emit.apply(this, arguments as never);
  }, emit);
}

/**
 * `destroy`, telling the observer of a request destroyed with an error after its connection
 * went: when a connection closes, Node destroys each of its unfinished requests that way,
 * those whose responses are queued behind the first on a pipelined connection included, and
 * closes none of those responses on Node 20 and 22. Any other call only passes through: a
 * request is destroyed without an error once its body is read, every request.
 */
function observingDestroy(destroy: Method): Method {
  return named(function (this: object, error: unknown) {
    if (error != null) {
      const req = this as ObservedRequest;
      if (connectionLost(req)) req[kResponseObserver]?.closedUnfinished();
    }
    // biome-ignore lint/complexity/noArguments: passes every argument on without an array per call
    return destroy.apply(this, arguments as never);
  }, destroy);
}

/** Whether the connection of `req` is gone, so its response can no longer finish. */
function connectionLost(req: ConnectedRequest | undefined): boolean {
  return req?.socket?.destroyed === true;
}

function hook(prototype: object): void {
  const target = prototype as ObservedResponse;
  defineHidden(target, 'write', observingWrite(target.write));
  defineHidden(target, 'end', observingEnd(target.end));
  defineHidden(target, 'emit', observingEmit(target.emit));
  defineHidden(target, kObservesResponses, true);
}

/**
 * Makes sure `res`, and every response of its class, reports to the observer its request holds
 * (`req[kResponseObserver]`): `write` and `end` add the body bytes, `emit('close')` before the
 * response finished calls `closedUnfinished`. The observer is reached through the response's
 * `req` and lives as long as the request, so nothing is added to the response, no table needs
 * emptying and no request needs a listener; responses whose request holds none only pass
 * through. A prototype is hooked once: Node's own ServerResponse.prototype for an HTTP/1
 * response, below any class a tool derives from it (light-my-request's `end(data)` calls its
 * own `write(data)`: counted on its prototype, that body would be counted twice; counted below
 * it, once, as it reaches Node); the response's own prototype otherwise (HTTP/2's).
 */
export function observeResponses(res: object): void {
  if ((res as ObservedResponse)[kObservesResponses] === true) return;
  hook(res instanceof ServerResponse ? ServerResponse.prototype : (Object.getPrototypeOf(res) as object));
}

/**
 * Hooks Node's ServerResponse.prototype now, before the first response is served, where
 * observeResponses would hook it with the first response, and `destroy` on Node's
 * IncomingMessage.prototype, through which a response that never closes is observed (see
 * observingDestroy). A prototype that changes after V8 has optimized code for its instances
 * sends that code's property accesses down V8's generic path for good: hooked at the first
 * request, Node's own response code cost a Fastify request about 520 instructions more
 * (docs/architecture.md).
 */
export function observeNodeResponses(): void {
  if ((ServerResponse.prototype as ObservedResponse)[kObservesResponses] !== true)
    hook(ServerResponse.prototype);
  const requests = IncomingMessage.prototype as ObservedRequest;
  if (requests[kObservesResponses] !== true) {
    defineHidden(requests, 'destroy', observingDestroy(requests.destroy));
    defineHidden(requests, kObservesResponses, true);
  }
}

/**
 * Whether `res` can no longer finish: it closed before it finished, or its request's
 * connection went (a response queued behind an unfinished one, which does not close).
 */
export function clientLeft(res: {
  readonly destroyed?: boolean;
  readonly writableFinished?: boolean;
  readonly req?: ConnectedRequest;
}): boolean {
  return (res.destroyed === true || connectionLost(res.req)) && res.writableFinished !== true;
}
