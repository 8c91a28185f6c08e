import type { IncomingMessage, ServerResponse } from 'node:http';
import { chunkBytes, requestBodyBytes } from '../../http/body-bytes.js';
import type { HttpRecorder } from '../../http/http-recorder.js';
import { CLIENT_CLOSED_REQUEST } from '../../http/labels.js';
import { defineHidden, type Method, named } from '../../http/wrapped-method.js';

/**
 * A request an adapter records, from the moment it starts until its response closes. Adapters
 * extend it with what they learn while the request is served (route, errors) and implement
 * `closed`, where they record it.
 *
 * It lives in a side table keyed by the request and by the response, never in properties on
 * them, and the table is a Map, not a WeakMap: see docs/architecture.md, "Why nothing is added
 * to Express's requests and responses". A request leaves it when its response emits 'close'
 * (it finished, or its connection went), or when Node destroys the request because its
 * connection went: a response queued behind an unfinished one on a pipelined connection gets
 * no 'close' when the connection dies (Node 20 and 22), but its request is destroyed. So the
 * Map holds the requests in flight and no more.
 */
export abstract class InFlightRequest {
  /** Body bytes handed to `write`/`end`; NaN when nothing counts them. */
  responseBytes = 0;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly startTime: number,
  ) {}

  /**
   * Called once, when the response emits 'close' after 'finish' (it completed:
   * `res.writableFinished`), or when the client went away before that. Must not throw.
   */
  abstract closed(): void;

  /**
   * Records the closed request under `route`: with its response's status once that finished,
   * else as 499 (the client went away), whose response size is unknown and not observed.
   */
  recordInto(recorder: HttpRecorder, route: string): void {
    const { req, res } = this;
    const completed = res.writableFinished;
    recorder.finishRequestStartedAt(
      req.method ?? '',
      route,
      completed ? res.statusCode : CLIENT_CLOSED_REQUEST,
      this.startTime,
      requestBodyBytes(req.headers),
      completed ? this.responseBytes : Number.NaN,
    );
  }
}

// Module-level because the hooks on a framework's shared response prototype must find it.
const inFlight = new Map<object, InFlightRequest>();

/** The in-flight request of this request or response object; undefined when none is tracked. */
export function inFlightRequestOf(reqOrRes: object): InFlightRequest | undefined {
  return inFlight.get(reqOrRes);
}

/**
 * Tracks a request until its response closes or its connection goes. With
 * `hookResponsePrototype` and `hookRequestPrototype` installed on the prototypes of the
 * response and the request, that costs no listener; otherwise pass `listen: true`.
 */
export function trackInFlightRequest(request: InFlightRequest, listen: boolean): void {
  inFlight.set(request.req, request);
  inFlight.set(request.res, request);
  if (listen) {
    request.res.on('close', onUnhookedResponseClose);
    request.req.on('close', onUnhookedRequestClose);
  }
}

/** Ends the tracking of the request of `reqOrRes`, once, and hands it over for recording. */
function close(reqOrRes: object): void {
  const request = inFlight.get(reqOrRes);
  if (request === undefined) return;
  inFlight.delete(request.req);
  inFlight.delete(request.res);
  request.closed();
}

/**
 * Whether the connection of `req` is gone, so its response can no longer finish. Read when a
 * request is destroyed or closes, never per request.
 */
function connectionLost(req: IncomingMessage): boolean {
  return req.socket?.destroyed === true;
}

// One listener shared by every response that has no hooked prototype.
function onUnhookedResponseClose(this: ServerResponse): void {
  close(this);
}

// One listener shared by every request that has no hooked prototype. A request also closes
// once its body is read, while its response is still to come: only a lost connection counts.
function onUnhookedRequestClose(this: IncomingMessage): void {
  if (connectionLost(this)) close(this);
}

function countingWrite(write: Method): Method {
  return named(function (this: object, chunk: unknown, encoding: unknown) {
    const request = inFlight.get(this);
    if (request !== undefined) request.responseBytes += chunkBytes(chunk, encoding);
    // biome-ignore lint/complexity/noArguments: passes every argument on without an array per call
    return write.apply(this, arguments as never);
  }, write);
}

function countingEnd(end: Method): Method {
  return named(function (this: object, chunk: unknown, encoding: unknown) {
    const request = inFlight.get(this);
    if (request !== undefined && typeof chunk !== 'function') {
      request.responseBytes += chunkBytes(chunk, encoding);
    }
    // biome-ignore lint/complexity/noArguments: passes every argument on without an array per call
    return end.apply(this, arguments as never);
  }, end);
}

/** `emit`, closing the in-flight request on 'close' before the response's own listeners run. */
function closingEmit(emit: Method): Method {
  return named(function (this: object, event: unknown) {
    if (event === 'close') close(this);
    // biome-ignore lint/complexity/noArguments: passes every argument on without an array per call
    return emit.apply(this, arguments as never);
  }, emit);
}

/**
 * `destroy`, ending the tracking of a request destroyed with an error after its connection
 * went: when a connection closes, Node destroys each of its unfinished requests that way,
 * those whose responses are queued behind the first on a pipelined connection included (the
 * responses that never emit 'close' on Node 20 and 22). Any other call only passes through:
 * a request is destroyed without an error once its body is read, every request.
 */
function releasingDestroy(destroy: Method): Method {
  return named(function (this: object, error: unknown) {
    if (error != null && connectionLost(this as IncomingMessage)) close(this);
    // biome-ignore lint/complexity/noArguments: passes every argument on without an array per call
    return destroy.apply(this, arguments as never);
  }, destroy);
}

const kRequestHooked = Symbol('promenade.requestPrototypeHooked');

interface HookableRequest {
  destroy: Method;
  [kRequestHooked]?: true;
}

/**
 * Hooks a request prototype that a framework sets on every request (Express's, above Node's
 * own), once, so that a tracked request whose connection goes before its response could be
 * sent is recorded then (as 499: its response did not finish), with no listener per request.
 */
export function hookRequestPrototype(prototype: object): void {
  const target = prototype as HookableRequest;
  if (target[kRequestHooked] === true) return;
  defineHidden(target, 'destroy', releasingDestroy(target.destroy));
  defineHidden(target, kRequestHooked, true);
}

const kHooked = Symbol('promenade.responsePrototypeHooked');

interface HookableResponse {
  write: Method;
  end: Method;
  emit: Method;
  [kHooked]?: true;
}

/**
 * Hooks a response prototype that a framework sets on every response (Express's, above Node's
 * own), once: `write` and `end` count the body bytes of tracked responses, which gives the size
 * of a streamed response (no Content-Length) as well as of any other, and `emit('close')` ends
 * their tracking, so no request needs a listener of its own. Responses that are not tracked
 * only pass through. Installed on a prototype, it counts as installed for the prototypes below
 * it, so a response is never counted twice.
 */
export function hookResponsePrototype(prototype: object): void {
  const target = prototype as HookableResponse;
  if (target[kHooked] === true) return;
  defineHidden(target, 'write', countingWrite(target.write));
  defineHidden(target, 'end', countingEnd(target.end));
  defineHidden(target, 'emit', closingEmit(target.emit));
  defineHidden(target, kHooked, true);
}

/**
 * Of the objects `value` inherits from, the one whose prototype is `nodePrototype`: the
 * prototype a framework shares between its apps (Express's request or response, above Node's
 * own). Undefined when `value` inherits from `nodePrototype` directly (a plain Node response).
 */
export function frameworkPrototype(value: object, nodePrototype: object): object | undefined {
  let current = Object.getPrototypeOf(value) as object | null;
  while (current !== null) {
    const parent = Object.getPrototypeOf(current) as object | null;
    if (parent === nodePrototype) return current;
    current = parent;
  }
  return undefined;
}
