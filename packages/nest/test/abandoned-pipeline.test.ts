import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { metricValue, sampleLines, scrape } from '@promenade/core/testing';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { DogsController, gate, prefixAndVersion } from './fixtures.js';
import { createTestApp, metricsModule, PLATFORMS, type TestApp } from './harness.js';

/** A request held in its handler, then three that are queued behind it on its connection. */
const PIPELINE = ['/api/v1/dogs/1/slow', '/api/v1/dogs/1', '/api/v1/dogs/2', '/api/v1/dogs/3'];

async function waitForInFlight(registry: Registry, count: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while ((await metricValue(registry, 'http_requests_in_flight')) !== count) {
    if (Date.now() > deadline) throw new Error(`never ${count} requests in flight`);
    await sleep(2);
  }
}

/** Opens `connections` connections to `port` and pipelines PIPELINE on each. */
function pipelines(port: number, connections: number): Socket[] {
  return Array.from({ length: connections }, () => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.write(PIPELINE.map((path) => `GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`).join(''));
    return socket;
  });
}

describe.each(PLATFORMS)('a client that abandons a pipeline on %s', (platform) => {
  let testApp: TestApp | undefined;

  afterEach(async () => {
    gate.release();
    await testApp?.close();
    gate.reset();
  });

  async function listeningApp(registry: Registry): Promise<number> {
    testApp = await createTestApp(platform, {
      imports: [metricsModule(registry)],
      controllers: [DogsController],
      prepare: prefixAndVersion,
    });
    await testApp.app.listen(0, '127.0.0.1');
    return (testApp.app.getHttpServer().address() as AddressInfo).port;
  }

  it('records each queued request once, as 499 under its route, and none stays in flight', async () => {
    const registry = new Registry();
    const sockets = pipelines(await listeningApp(registry), 1);
    await waitForInFlight(registry, 4);
    for (const socket of sockets) socket.destroy();

    await waitForInFlight(registry, 0);
    // The held handler answers after the client left; nothing may count twice (Node 24 closes
    // the queued responses as well).
    gate.release();
    await sleep(50);
    const text = await scrape(registry);
    // Sorted: which is recorded first follows the order of Node's events for a dead connection.
    expect(sampleLines(text, 'http_request_duration_seconds_count').sort()).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/api/v1/dogs/:id",status_code="499"} 3',
      'http_request_duration_seconds_count{method="GET",route="/api/v1/dogs/:id/slow",status_code="499"} 1',
    ]);
    expect(sampleLines(text, 'http_requests_in_flight')).toEqual(['http_requests_in_flight 0']);
  });

  it('leaves nothing in flight after 1,000 abandoned pipelines', async () => {
    const registry = new Registry();
    const port = await listeningApp(registry);
    for (let batch = 0; batch < 10; batch++) {
      const sockets = pipelines(port, 100);
      await waitForInFlight(registry, 400);
      for (const socket of sockets) socket.destroy();
      await waitForInFlight(registry, 0);
    }
    // Sorted: which is recorded first follows the order of Node's events for a dead connection.
    expect(sampleLines(await scrape(registry), 'http_request_duration_seconds_count').sort()).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/api/v1/dogs/:id",status_code="499"} 3000',
      'http_request_duration_seconds_count{method="GET",route="/api/v1/dogs/:id/slow",status_code="499"} 1000',
    ]);
  }, 30_000);
});
