import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { metricValue, sampleLines, scrape } from '@promenade/core/testing';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createApp, FASTIFY_VERSIONS, instrumentedApp, registerMetrics } from './harness.js';

/** A request that is never answered, then three that are queued behind it on its connection. */
const PIPELINE = ['/slow', '/walks/1', '/walks/2', '/walks/3'];

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

const inFlight = (registry: Registry) => metricValue(registry, 'http_requests_in_flight');

async function listen(app: FastifyInstance): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as AddressInfo).port;
}

/** Opens `connections` connections to the app on `port` and pipelines PIPELINE on each. */
function pipelines(port: number, connections: number): Socket[] {
  return Array.from({ length: connections }, () => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.write(PIPELINE.map((path) => `GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`).join(''));
    return socket;
  });
}

function addRoutes(app: FastifyInstance): void {
  app.get('/slow', () => new Promise(() => {}));
  app.get('/walks/:id', async () => 'walked');
}

describe.each(FASTIFY_VERSIONS)('%s: a client that abandons a pipeline', (_name, factory) => {
  it('records each queued request once, as 499 under its route, and none stays in flight', async () => {
    const { app, registry } = instrumentedApp(factory);
    addRoutes(app);
    const sockets = pipelines(await listen(app), 1);
    await waitFor(async () => (await inFlight(registry)) === 4, 'four requests in flight');
    for (const socket of sockets) socket.destroy();

    await waitFor(async () => (await inFlight(registry)) === 0, 'no request in flight');
    // Time for a second, wrong recording to show up if there were one (Node 24 closes the
    // queued responses as well).
    await sleep(50);
    const text = await scrape(registry);
    // Sorted: which is recorded first follows the order of Node's events for a dead connection.
    expect(sampleLines(text, 'http_request_duration_seconds_count').sort()).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/slow",status_code="499"} 1',
      'http_request_duration_seconds_count{method="GET",route="/walks/:id",status_code="499"} 3',
    ]);
    // Their responses never reached the client: no size is observed.
    expect(sampleLines(text, 'http_response_size_bytes_count').sort()).toEqual([
      'http_response_size_bytes_count{method="GET",route="/slow"} 0',
      'http_response_size_bytes_count{method="GET",route="/walks/:id"} 0',
    ]);
    expect(sampleLines(text, 'http_requests_in_flight')).toEqual(['http_requests_in_flight 0']);
  });

  it('records the queued requests when an earlier hook that held them while the client left lets them go', async () => {
    const { app, registry } = createApp(factory);
    let held = 0;
    let departed = 0;
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    // An authentication hook ahead of Promenade's: Promenade's onRequest has not run when the
    // client leaves, and runs once this hook lets the requests go on.
    app.addHook('onRequest', async (request) => {
      request.raw.once('close', () => departed++);
      held++;
      await released;
    });
    registerMetrics(app, registry, {});
    addRoutes(app);
    const sockets = pipelines(await listen(app), 1);
    await waitFor(async () => held === 4, 'four requests held');
    for (const socket of sockets) socket.destroy();
    await waitFor(async () => departed === 4, 'four requests closed');
    release();

    await waitFor(
      async () => (await metricValue(registry, 'http_request_duration_seconds_count')) === 4,
      'four recordings',
    );
    await sleep(50);
    const text = await scrape(registry);
    // Sorted: which is recorded first follows the order of Node's events for a dead connection.
    expect(sampleLines(text, 'http_request_duration_seconds_count').sort()).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/slow",status_code="499"} 1',
      'http_request_duration_seconds_count{method="GET",route="/walks/:id",status_code="499"} 3',
    ]);
    expect(sampleLines(text, 'http_requests_in_flight')).toEqual(['http_requests_in_flight 0']);
  });

  it('leaves nothing in flight after 1,000 abandoned pipelines', async () => {
    const { app, registry } = instrumentedApp(factory);
    addRoutes(app);
    const port = await listen(app);
    for (let batch = 0; batch < 10; batch++) {
      const sockets = pipelines(port, 100);
      await waitFor(async () => (await inFlight(registry)) === 400, '400 requests in flight');
      for (const socket of sockets) socket.destroy();
      await waitFor(async () => (await inFlight(registry)) === 0, 'no request in flight');
    }
    // Sorted: which is recorded first follows the order of Node's events for a dead connection.
    expect(sampleLines(await scrape(registry), 'http_request_duration_seconds_count').sort()).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/slow",status_code="499"} 1000',
      'http_request_duration_seconds_count{method="GET",route="/walks/:id",status_code="499"} 3000',
    ]);
  }, 30_000);
});
