import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closeHttpServer } from '../src/entry/close-http-server.js';

const open: Socket[] = [];

afterEach(() => {
  for (const socket of open.splice(0)) socket.destroy();
});

async function listening(
  handler: Parameters<typeof createServer>[1],
): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** A raw client connection that has sent `bytes`, keeping what it receives; once the server has read them. */
async function clientSending(port: number, bytes: string) {
  const socket = connect(port, '127.0.0.1');
  open.push(socket);
  let received = '';
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString();
  });
  const closed = new Promise((resolve) => socket.once('close', resolve));
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  if (bytes !== '') socket.write(bytes);
  await new Promise((resolve) => setTimeout(resolve, 50));
  return { received: () => received, closed };
}

/** Milliseconds `closeHttpServer(server)` took. */
async function timeClose(server: Server): Promise<number> {
  const before = Date.now();
  await closeHttpServer(server);
  return Date.now() - before;
}

describe('closeHttpServer', () => {
  it('closes idle keep-alive connections at once and lets a request in progress finish', async () => {
    const { server, port } = await listening((req, res) => {
      if (req.url === '/slow') setTimeout(() => res.end('woof'), 300);
      else res.end('ok');
    });
    const idle = await clientSending(port, 'GET /fast HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(idle.received()).toMatch(/ok$/);
    const busy = await clientSending(port, 'GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await timeClose(server)).toBeLessThan(1_900);
    await Promise.all([idle.closed, busy.closed]);
    expect(busy.received()).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*woof$/);
  });

  it('stops while a client holds a request open, cutting it after the grace period', async () => {
    const { server, port } = await listening((req, res) => {
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    // A POST whose declared body never comes. Node's close() waits for it for good: it also stops
    // the checks that would time the request out.
    const holding = await clientSending(
      port,
      'POST /api/walkers HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nContent-Type: application/json\r\n\r\n{',
    );
    const took = await timeClose(server);
    expect(took).toBeGreaterThanOrEqual(1_900);
    expect(took).toBeLessThan(5_000);
    await holding.closed;
  }, 10_000);

  it('stops while a connection has sent nothing yet (a browser opens some ahead of use), cutting it after the grace period', async () => {
    const { server, port } = await listening((_req, res) => res.end());
    const ahead = await clientSending(port, '');
    const took = await timeClose(server);
    expect(took).toBeGreaterThanOrEqual(1_900);
    expect(took).toBeLessThan(5_000);
    await ahead.closed;
  }, 10_000);
});
