import { type ClientRequest, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { metricValue, sampleLines, scrape } from '@promenade/core/testing';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createApp, FASTIFY_VERSIONS, instrumentedApp, registerMetrics } from './harness.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Starts the app on a real socket and opens a GET to `path` (not yet sent): the test destroys
 * it to leave, so its socket errors are expected.
 */
async function requestFrom(app: FastifyInstance, path: string): Promise<ClientRequest> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const client = httpRequest({ port, host: '127.0.0.1', path, agent: false });
  client.on('error', () => {});
  return client;
}

const closedCount = (registry: Registry) =>
  metricValue(registry, 'http_request_duration_seconds_count', { status_code: 499 });

describe.each(FASTIFY_VERSIONS)('%s: client disconnects', (_name, factory) => {
  it('records a request whose client went away as 499, exactly once', async () => {
    const { app, registry } = instrumentedApp(factory, { buckets: { duration: [0.05, 10] } });
    const handlerEntered = deferred();
    const releaseHandler = deferred();
    const handlerDone = deferred();
    app.register(
      async (api) => {
        api.get('/walks/:id', async () => {
          handlerEntered.resolve();
          await releaseHandler.promise;
          setImmediate(handlerDone.resolve);
          return { walked: true };
        });
      },
      { prefix: '/api' },
    );
    const client = await requestFrom(app, '/api/walks/1');
    client.end();
    await handlerEntered.promise;
    await new Promise((resolve) => setTimeout(resolve, 80));
    client.destroy();

    await waitFor(async () => (await closedCount(registry)) === 1, 'the 499');
    // The handler finishes after the client left; Fastify still tries to reply.
    releaseHandler.resolve();
    await handlerDone.promise;
    await new Promise((resolve) => setTimeout(resolve, 50));

    const text = await scrape(registry);
    // Timed up to the moment the client left.
    expect(sampleLines(text, 'http_request_duration_seconds_bucket')).toEqual([
      'http_request_duration_seconds_bucket{method="GET",route="/api/walks/:id",status_code="499",le="0.05"} 0',
      'http_request_duration_seconds_bucket{method="GET",route="/api/walks/:id",status_code="499",le="10"} 1',
      'http_request_duration_seconds_bucket{method="GET",route="/api/walks/:id",status_code="499",le="+Inf"} 1',
    ]);
    // The announced request body (none) is observed; the response size is unknown and is not.
    expect(sampleLines(text, 'http_request_size_bytes_count')).toEqual([
      'http_request_size_bytes_count{method="GET",route="/api/walks/:id"} 1',
    ]);
    expect(sampleLines(text, 'http_response_size_bytes_count')).toEqual([
      'http_response_size_bytes_count{method="GET",route="/api/walks/:id"} 0',
    ]);
    expect(sampleLines(text, 'http_requests_in_flight')).toEqual(['http_requests_in_flight 0']);
  });

  it('records a streamed response the client abandoned halfway as 499, exactly once', async () => {
    const { app, registry } = instrumentedApp(factory);
    const streamEnded = deferred();
    app.get('/feed', async (_request, reply) => {
      reply.type('text/plain');
      let chunks = 0;
      const stream = new Readable({
        read() {
          setTimeout(() => this.push(chunks++ < 20 ? 'kibble\n'.repeat(100) : null), 5);
        },
      });
      stream.on('close', streamEnded.resolve);
      return stream;
    });
    const client = await requestFrom(app, '/feed');
    client.on('response', (response) => response.once('data', () => client.destroy()));
    client.end();

    await waitFor(async () => (await closedCount(registry)) === 1, 'the 499');
    await streamEnded.promise;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const text = await scrape(registry);
    expect(sampleLines(text, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/feed",status_code="499"} 1',
    ]);
    expect(sampleLines(text, 'http_requests_in_flight')).toEqual(['http_requests_in_flight 0']);
  });
  it('records a request whose client left while an earlier hook held it, under its route, when the hook lets it go', async () => {
    const { app, registry } = createApp(factory);
    const held = deferred();
    const release = deferred();
    const departed = deferred();
    // An authentication hook ahead of Promenade's: Promenade's onRequest has not run when the
    // client leaves, and runs once this hook lets the request go on.
    app.addHook('onRequest', async (request) => {
      request.raw.once('close', departed.resolve);
      held.resolve();
      await release.promise;
    });
    registerMetrics(app, registry, {});
    app.get('/walks/:id', async () => ({ walked: true }));
    const client = await requestFrom(app, '/walks/7');
    client.end();
    await held.promise;
    client.destroy();
    await departed.promise;
    expect(await closedCount(registry)).toBeUndefined();
    release.resolve();

    await waitFor(async () => (await closedCount(registry)) === 1, 'the 499');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const text = await scrape(registry);
    expect(sampleLines(text, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/walks/:id",status_code="499"} 1',
    ]);
    expect(sampleLines(text, 'http_response_size_bytes_count')).toEqual([
      'http_response_size_bytes_count{method="GET",route="/walks/:id"} 0',
    ]);
    expect(sampleLines(text, 'http_requests_in_flight')).toEqual(['http_requests_in_flight 0']);
  });
});
