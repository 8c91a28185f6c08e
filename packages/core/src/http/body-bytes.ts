import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

/**
 * Body bytes of a request from its headers: Content-Length when given, 0 for a request
 * that announces no body, NaN (not observed) for a chunked body of unknown length.
 */
export function requestBodyBytes(headers: IncomingHttpHeaders): number {
  const length = headers['content-length'];
  if (length !== undefined) return Number(length);
  return headers['transfer-encoding'] === undefined ? 0 : Number.NaN;
}

const counted = Symbol('promenade.responseBytes');
const originalWrite = Symbol('promenade.write');
const originalEnd = Symbol('promenade.end');

interface CountedResponse extends ServerResponse {
  [counted]: number;
  [originalWrite]: ServerResponse['write'];
  [originalEnd]: ServerResponse['end'];
}

/** Bytes of a chunk handed to `write`/`end`: a string in its encoding, else its byteLength. */
export function chunkBytes(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === 'string') {
    return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  }
  const length = (chunk as { byteLength?: unknown } | null | undefined)?.byteLength;
  return typeof length === 'number' ? length : 0;
}

// Shared functions, not per-request closures: the response carries its own state.
function countingWrite(this: CountedResponse, chunk: unknown, ...rest: unknown[]): boolean {
  this[counted] += chunkBytes(chunk, rest[0]);
  return (this[originalWrite] as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
}

function countingEnd(this: CountedResponse, chunk?: unknown, ...rest: unknown[]): ServerResponse {
  if (typeof chunk !== 'function') this[counted] += chunkBytes(chunk, rest[0]);
  return (this[originalEnd] as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
}

/**
 * Counts the body bytes a response writes, for responses that stream without a
 * Content-Length (a piped file, server-sent chunks). A response already counted is left as it
 * is, so a caller may ask twice and its bytes are still counted once.
 */
export function trackResponseBytes(res: ServerResponse): void {
  const response = res as CountedResponse;
  if (response[counted] !== undefined) return;
  response[counted] = 0;
  response[originalWrite] = res.write;
  response[originalEnd] = res.end;
  res.write = countingWrite as ServerResponse['write'];
  res.end = countingEnd as ServerResponse['end'];
}

/** Body bytes of a response: its Content-Length, else what trackResponseBytes counted, else NaN. */
export function responseBodyBytes(res: ServerResponse): number {
  const length = res.getHeader('content-length');
  if (length !== undefined) return Number(length);
  const bytes = (res as Partial<CountedResponse>)[counted];
  return bytes ?? Number.NaN;
}
