// Imported, not read from the global: on Node 20 `Buffer` is an accessor on globalThis, a slow
// load on every string written.
import { Buffer } from 'node:buffer';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Body bytes of a request from its headers: Content-Length when given, 0 for a request
 * that announces no body, NaN (not observed) for a chunked body of unknown length.
 */
export function requestBodyBytes(headers: IncomingHttpHeaders): number {
  const length = headers['content-length'];
  if (length !== undefined) return Number(length);
  return headers['transfer-encoding'] === undefined ? 0 : Number.NaN;
}

/** The same, from a Fetch API request's `Headers` (Hono on Bun, Deno and `app.request()`). */
export function fetchRequestBodyBytes(headers: { get(name: string): string | null }): number {
  const length = headers.get('content-length');
  if (length !== null) return Number(length);
  return headers.get('transfer-encoding') === null ? 0 : Number.NaN;
}

/**
 * The same, read from a request's `rawHeaders` (names as sent, each followed by its value),
 * which Node's HTTP/1 and HTTP/2 requests and injected ones all hold, rather than from its
 * `headers`: Node builds an HTTP/1 request's `headers` object on first read, from every header
 * (Node 20, 22 and 24), a cost a Fastify request that reads no header does not otherwise pay.
 * A request without raw headers (a server of another kind) is read through its `headers`.
 */
export function nodeRequestBodyBytes(req: {
  readonly headers: IncomingHttpHeaders;
  readonly rawHeaders?: readonly string[];
}): number {
  const { rawHeaders } = req;
  return rawHeaders === undefined
    ? requestBodyBytes(req.headers)
    : requestBodyBytesFromRawHeaders(rawHeaders);
}

const CONTENT_LENGTH = 'content-length';
const TRANSFER_ENCODING = 'transfer-encoding';

/** Body bytes from raw headers, where Node's parser lets one Content-Length at most through. */
function requestBodyBytesFromRawHeaders(rawHeaders: readonly string[]): number {
  let chunked = false;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    if (name.length === CONTENT_LENGTH.length && isHeaderName(name, CONTENT_LENGTH)) {
      return Number(rawHeaders[i + 1]);
    }
    if (name.length === TRANSFER_ENCODING.length && isHeaderName(name, TRANSFER_ENCODING)) chunked = true;
  }
  return chunked ? Number.NaN : 0;
}

/**
 * Whether a header name sent by a client is `lowerCaseName` (small letters and '-'), whatever
 * its case, without making a lower-case copy. Header names are tokens, and the only token
 * characters that `| 0x20` turns into a small letter or '-' are that letter, in either case, and
 * '-' itself.
 */
function isHeaderName(name: string, lowerCaseName: string): boolean {
  for (let i = 0; i < lowerCaseName.length; i++) {
    if ((name.charCodeAt(i) | 0x20) !== lowerCaseName.charCodeAt(i)) return false;
  }
  return true;
}

/** Bytes of a chunk handed to `write`/`end`: a string in its encoding, else its byteLength. */
export function chunkBytes(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === 'string') {
    return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  }
  const length = (chunk as { byteLength?: unknown } | null | undefined)?.byteLength;
  return typeof length === 'number' ? length : 0;
}
