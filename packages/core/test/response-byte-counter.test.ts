import { createServer, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { installResponseByteCounter, responseBodyBytes, startResponseByteCount } from '@promenade/core';
import { describe, expect, it } from 'vitest';

/**
 * A server that gives each response a prototype of its own, as Express does, and reports
 * what responseBodyBytes saw when the response closed.
 */
async function serve(handle: (res: ServerResponse) => void, count = true): Promise<number> {
  const prototype = Object.create(ServerResponse.prototype);
  installResponseByteCounter(prototype);
  installResponseByteCounter(prototype);
  let seen = Number.NaN;
  let closed!: () => void;
  const responseClosed = new Promise<void>((resolve) => {
    closed = resolve;
  });
  const server = createServer((_req, res) => {
    Object.setPrototypeOf(res, prototype);
    if (count) startResponseByteCount(res);
    res.on('close', () => {
      seen = responseBodyBytes(res);
      closed();
    });
    handle(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await (await fetch(`http://127.0.0.1:${port}/`)).text();
  await responseClosed;
  server.close();
  return seen;
}

describe('installResponseByteCounter', () => {
  it('counts streamed body bytes once, installed twice, strings in their encoding included', async () => {
    const bytes = await serve((res) => {
      res.write('héllo ');
      res.write(Buffer.from('wörld'));
      res.end('!', 'utf8');
    });
    expect(bytes).toBe(Buffer.byteLength('héllo wörld!'));
  });

  it('prefers Content-Length when the response has one', async () => {
    const bytes = await serve((res) => {
      res.setHeader('content-length', '4');
      res.end('woof');
    });
    expect(bytes).toBe(4);
  });

  it('leaves a response whose count was not started unknown', async () => {
    const bytes = await serve((res) => res.end('not counted'), false);
    expect(bytes).toBeNaN();
  });
});
