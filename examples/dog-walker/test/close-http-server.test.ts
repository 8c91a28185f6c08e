import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closeHttpServer } from '../src/entry/close-http-server.js';

const open: Socket[] = [];

afterEach(() => {
  for (const socket of open.splice(0)) socket.destroy();
});

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A server on loopback; `nextRequest()` resolves once it has read the headers of the next request. */
async function listening(handler: Handler) {
  const seen: ((url: string) => void)[] = [];
  const server = createServer((req, res) => {
    handler(req, res);
    for (const tell of seen.splice(0)) tell(req.url ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  /** Resolves when the server has read the next request's headers. */
  const nextRequest = () => new Promise<string>((resolve) => seen.push(resolve));
  return { server, port, nextRequest };
}

/** A raw client connection, once the server has it; what it receives is kept. */
async function client(server: Server, port: number) {
  const accepted = new Promise((resolve) => server.once('connection', resolve));
  const socket = connect(port, '127.0.0.1');
  open.push(socket);
  let received = '';
  const listeners: (() => void)[] = [];
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString();
    for (const listener of listeners) listener();
  });
  const closed = new Promise((resolve) => socket.once('close', resolve));
  await accepted;
  /** Resolves once what was received matches `pattern`. */
  const receivedMatching = (pattern: RegExp) =>
    new Promise<string>((resolve) => {
      const check = () => {
        if (pattern.test(received)) resolve(received);
      };
      listeners.push(check);
      check();
    });
  return { send: (bytes: string) => socket.write(bytes), receivedMatching, closed };
}

/** Milliseconds `closeHttpServer(server)` took. */
async function timeClose(server: Server): Promise<number> {
  const before = Date.now();
  await closeHttpServer(server);
  return Date.now() - before;
}

describe('closeHttpServer', () => {
  it('closes idle keep-alive connections at once and lets a request in progress finish', async () => {
    const { server, port, nextRequest } = await listening((req, res) => {
      if (req.url === '/slow') setTimeout(() => res.end('woof'), 300);
      else res.end('ok');
    });
    const idle = await client(server, port);
    idle.send('GET /fast HTTP/1.1\r\nHost: x\r\n\r\n');
    await idle.receivedMatching(/ok$/);
    const busy = await client(server, port);
    const slowSeen = nextRequest();
    busy.send('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await slowSeen).toBe('/slow');
    expect(await timeClose(server)).toBeLessThan(1_900);
    await Promise.all([idle.closed, busy.closed]);
    expect(await busy.receivedMatching(/woof$/)).toMatch(/^HTTP\/1\.1 200 OK/);
  });

  it('stops while a client holds a request open, cutting it after the grace period', async () => {
    const { server, port, nextRequest } = await listening((req, res) => {
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    // A POST whose declared body never comes. Node's close() waits for it for good: it also stops
    // the checks that would time the request out.
    const holding = await client(server, port);
    const seen = nextRequest();
    holding.send(
      'POST /api/walkers HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nContent-Type: application/json\r\n\r\n{',
    );
    await seen;
    const took = await timeClose(server);
    expect(took).toBeGreaterThanOrEqual(1_900);
    expect(took).toBeLessThan(5_000);
    await holding.closed;
  }, 10_000);

  it('stops while a connection has sent nothing yet (a browser opens some ahead of use), cutting it after the grace period', async () => {
    const { server, port } = await listening((_req, res) => res.end());
    const ahead = await client(server, port);
    const took = await timeClose(server);
    expect(took).toBeGreaterThanOrEqual(1_900);
    expect(took).toBeLessThan(5_000);
    await ahead.closed;
  }, 10_000);
});
