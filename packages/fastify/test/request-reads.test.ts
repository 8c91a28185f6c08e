import { request as httpRequest, IncomingMessage } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { sampleLines, scrape } from '@promenade/core/testing';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createApp, FASTIFY_VERSIONS, instrumentedApp, registerMetrics } from './harness.js';

/**
 * What Promenade reads of each request, where a read has a cost of its own: Node's `headers`
 * object, built from every header on first read, and Fastify's `routeOptions`, a getter that
 * builds an object on every read (bench/RESULTS.md).
 */

async function listen(app: FastifyInstance): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as AddressInfo).port;
}

/** Sends `head` and `body` as they are, on a connection of their own; resolves with the status line. */
function sendRaw(port: number, head: string[], body = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let response = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      response += chunk;
    });
    socket.on('end', () => resolve(response.split('\r\n')[0] as string));
    socket.on('error', reject);
    socket.end(`${[...head, 'Connection: close'].join('\r\n')}\r\n\r\n${body}`);
  });
}

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    httpRequest({ port, host: '127.0.0.1', path, agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

/** Counts the reads of `headers` on every request Node's server hands the app from now on. */
function countHeaderReads(app: FastifyInstance): { reads: number } {
  const counter = { reads: 0 };
  const own = Object.getOwnPropertyDescriptor(IncomingMessage.prototype, 'headers');
  if (own?.get === undefined) throw new Error("Node's IncomingMessage has no headers getter");
  app.server.prependListener('request', (req: IncomingMessage) => {
    Object.defineProperty(req, 'headers', {
      configurable: true,
      get() {
        counter.reads++;
        return own.get?.call(this);
      },
      set(value) {
        own.set?.call(this, value);
      },
    });
  });
  return counter;
}

/** Counts the reads of `routeOptions` on every request, from a hook ahead of Promenade's. */
function countRouteOptionsReads(app: FastifyInstance): { reads: number } {
  const counter = { reads: 0 };
  app.addHook('onRequest', (request, _reply, done) => {
    let prototype = Object.getPrototypeOf(request);
    while (prototype !== null && !Object.hasOwn(prototype, 'routeOptions'))
      prototype = Object.getPrototypeOf(prototype);
    const getter = Object.getOwnPropertyDescriptor(prototype, 'routeOptions')?.get;
    Object.defineProperty(request, 'routeOptions', {
      configurable: true,
      get() {
        counter.reads++;
        return getter?.call(this);
      },
    });
    done();
  });
  return counter;
}

describe.each(FASTIFY_VERSIONS)('%s: what is read of each request', (_name, factory) => {
  it("counts request bodies from Node's raw headers, whatever the case of their names", async () => {
    const { app, registry } = instrumentedApp(factory);
    app.post('/echo', async (request) => request.body);
    app.get('/dogs/:id', async () => ({ id: 1 }));
    const port = await listen(app);
    const text = ['POST /echo HTTP/1.1', 'Host: x', 'Content-Type: text/plain'];

    expect(await sendRaw(port, [...text, 'CONTENT-LENGTH: 11'], 'hello world')).toBe('HTTP/1.1 200 OK');
    expect(await sendRaw(port, [...text, 'content-Length: 3'], 'dog')).toBe('HTTP/1.1 200 OK');
    // A chunked body's size is not announced: not observed.
    expect(await sendRaw(port, [...text, 'Transfer-ENCODING: chunked'], '4\r\nwalk\r\n0\r\n\r\n')).toBe(
      'HTTP/1.1 200 OK',
    );
    // Headers whose names have the length of those read, and no body.
    expect(
      await sendRaw(port, ['GET /dogs/1 HTTP/1.1', 'Host: x', 'Content-Lengthy: 9', 'x-content-length: 12']),
    ).toBe('HTTP/1.1 200 OK');
    expect(
      await sendRaw(port, ['GET /dogs/2 HTTP/1.1', 'Host: x', 'Content-Lengtx: 12', 'Transfer-Encodinh: x']),
    ).toBe('HTTP/1.1 200 OK');

    const page = await scrape(registry);
    expect(sampleLines(page, 'http_request_size_bytes_sum')).toEqual([
      'http_request_size_bytes_sum{method="POST",route="/echo"} 14',
      'http_request_size_bytes_sum{method="GET",route="/dogs/:id"} 0',
    ]);
    expect(sampleLines(page, 'http_request_size_bytes_count')).toEqual([
      'http_request_size_bytes_count{method="POST",route="/echo"} 2',
      'http_request_size_bytes_count{method="GET",route="/dogs/:id"} 2',
    ]);
  });

  it("reads Node's headers object of a request no more often than the bare framework does", async () => {
    const readsPerApp: number[] = [];
    for (const instrumented of [false, true]) {
      const { app } = instrumented ? instrumentedApp(factory) : createApp(factory);
      app.get('/dogs/:id', async () => ({ id: 1 }));
      app.get('/elsewhere', async () => ({ id: 2 }));
      const counter = countHeaderReads(app);
      const port = await listen(app);
      for (const path of ['/dogs/1', '/dogs/2', '/elsewhere', '/nowhere']) await get(port, path);
      readsPerApp.push(counter.reads);
    }
    expect(readsPerApp[1]).toBe(readsPerApp[0]);
  });

  it("reads Fastify's routeOptions getter on the instance's first request only", async () => {
    const { app, registry } = createApp(factory);
    const counter = countRouteOptionsReads(app);
    registerMetrics(app, registry);
    app.get('/dogs/:id', async () => ({ id: 1 }));
    app.get('/quiet', { config: { metrics: { exclude: true } } }, async () => ({ id: 2 }));

    for (const url of ['/dogs/1', '/dogs/2', '/quiet', '/nowhere', '/dogs/3']) await app.inject(url);

    expect(counter.reads).toBe(1);
    expect(sampleLines(await scrape(registry), 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/dogs/:id",status_code="200"} 3',
      'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="404"} 1',
    ]);
  });
});
