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

/** Bytes of a chunk handed to `write`/`end`: a string in its encoding, else its byteLength. */
export function chunkBytes(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === 'string') {
    return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  }
  const length = (chunk as { byteLength?: unknown } | null | undefined)?.byteLength;
  return typeof length === 'number' ? length : 0;
}
