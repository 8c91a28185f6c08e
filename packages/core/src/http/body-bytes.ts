import { type IncomingHttpHeaders, ServerResponse } from 'node:http';
import { defineHidden, type Method, named } from './wrapped-method.js';

/**
 * Body bytes of a request from its headers: Content-Length when given, 0 for a request
 * that announces no body, NaN (not observed) for a chunked body of unknown length.
 */
export function requestBodyBytes(headers: IncomingHttpHeaders): number {
  const length = headers['content-length'];
  if (length !== undefined) return Number(length);
  return headers['transfer-encoding'] === undefined ? 0 : Number.NaN;
}

/** Bytes of a chunk handed to `write`/`end`: a string in its encoding, else its byteLength. */
export function chunkBytes(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === 'string') {
    return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  }
  const length = (chunk as { byteLength?: unknown } | null | undefined)?.byteLength;
  return typeof length === 'number' ? length : 0;
}

/** What a request's response body is counted into: see countResponseBodies. */
export interface ResponseBodyCount {
  responseBytes: number;
}

/**
 * Where a request (Node's, the `req` of its response) keeps its ResponseBodyCount: undefined
 * while nobody asked for a count, null when nothing is to be counted.
 */
export const kResponseBodyCount = Symbol('promenade.responseBodyCount');

const kCountsBodies = Symbol('promenade.countsResponseBodies');

interface CountedRequest {
  [kResponseBodyCount]?: ResponseBodyCount | null;
}

interface CountingResponse {
  readonly req?: CountedRequest;
  write: Method;
  end: Method;
  [kCountsBodies]?: true;
}

function countingWrite(write: Method): Method {
  return named(function (this: object, chunk: unknown, encoding: unknown) {
    const count = (this as CountingResponse).req?.[kResponseBodyCount];
    if (count != null) count.responseBytes += chunkBytes(chunk, encoding);
    // biome-ignore lint/complexity/noArguments: passes every argument on without an array per call
    return write.apply(this, arguments as never);
  }, write);
}

function countingEnd(end: Method): Method {
  return named(function (this: object, chunk: unknown, encoding: unknown) {
    const count = (this as CountingResponse).req?.[kResponseBodyCount];
    if (count != null && typeof chunk !== 'function') count.responseBytes += chunkBytes(chunk, encoding);
    // biome-ignore lint/complexity/noArguments: passes every argument on without an array per call
    return end.apply(this, arguments as never);
  }, end);
}

function hook(prototype: object): void {
  const target = prototype as CountingResponse;
  defineHidden(target, 'write', countingWrite(target.write));
  defineHidden(target, 'end', countingEnd(target.end));
  defineHidden(target, kCountsBodies, true);
}

/**
 * Makes sure the body of `res`, and of every response of its class, is counted for a request
 * that holds a count (`req[kResponseBodyCount]`): `write` and `end` add the bytes to it. The
 * count is reached through the response's `req` and lives as long as the request, so nothing is
 * added to the response and no table needs emptying; responses whose request holds none only
 * pass through. A prototype is hooked once, the first time one of its responses is seen: Node's
 * own ServerResponse.prototype for an HTTP/1 response, below any class a tool derives from it
 * (light-my-request's `end(data)` calls its own `write(data)`: counted on its prototype, that
 * body would be counted twice; counted below it, once, as it reaches Node); the response's own
 * prototype otherwise (HTTP/2's).
 */
export function countResponseBody(res: object): void {
  if ((res as CountingResponse)[kCountsBodies] === true) return;
  hook(res instanceof ServerResponse ? ServerResponse.prototype : (Object.getPrototypeOf(res) as object));
}

/**
 * Hooks Node's ServerResponse.prototype now, before the first response is served, where
 * countResponseBody would hook it with the first response. A prototype that changes after V8
 * has optimized code for its instances sends that code's property accesses down V8's generic
 * path for good: hooked at the first request, Node's own response code cost a Fastify request
 * some hundreds of instructions more (bench/RESULTS.md).
 */
export function countNodeResponseBodies(): void {
  if ((ServerResponse.prototype as CountingResponse)[kCountsBodies] !== true) hook(ServerResponse.prototype);
}
