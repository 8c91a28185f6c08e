import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { metricValue } from '@promenade/core/testing';
import type { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
// The side table lives inside core: read directly, to see that it holds nothing afterwards.
import { tableObserverOf as inFlightRequestOf } from '../../core/src/http/response-observer.js';
import { close, expressVersions, instrumentedApp, lines, listen, newRegistry, settled } from './harness.js';

/** A request that is never answered, then three that are queued behind it on its connection. */
const PIPELINE = ['/slow', '/walks/1', '/walks/2', '/walks/3'];

async function waitForInFlight(registry: Registry, count: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while ((await metricValue(registry, 'http_requests_in_flight')) !== count) {
    if (Date.now() > deadline) throw new Error(`never ${count} requests in flight`);
    await sleep(2);
  }
}

/**
 * With no request in flight, opens `connections` connections, pipelines PIPELINE on each, waits
 * until the app has started every request, then drops the connections: the first response of
 * each is unfinished, and the other three are queued behind it, which Node 20 and 22 never close.
 */
async function abandonPipelines(port: number, registry: Registry, connections: number): Promise<void> {
  const sockets = Array.from({ length: connections }, () => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.write(PIPELINE.map((path) => `GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`).join(''));
    return socket;
  });
  await waitForInFlight(registry, connections * PIPELINE.length);
  for (const socket of sockets) socket.destroy();
}

describe.each(expressVersions)('%s: a client that abandons a pipeline', (_name, express) => {
  function pipelinedApp(registry: Registry) {
    const app = instrumentedApp(express, registry);
    const seen: object[] = [];
    app.use((req, res, next) => {
      seen.push(req, res);
      next();
    });
    app.get('/slow', () => {});
    app.get('/walks/:id', (_req, res) => {
      res.send('walked');
    });
    return { app, seen };
  }

  it('records each queued request once, as 499 under its route, and none stays in flight', async () => {
    const registry = newRegistry();
    const { app } = pipelinedApp(registry);
    const { server } = await listen(app);
    await abandonPipelines((server.address() as AddressInfo).port, registry, 1);

    // `lines` waits for the in-flight gauge to reach 0, and fails after a second.
    expect(await lines(registry, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/slow",status_code="499"} 1',
      'http_request_duration_seconds_count{method="GET",route="/walks/:id",status_code="499"} 3',
    ]);
    // Their responses never reached the client: no size is observed.
    expect(await lines(registry, 'http_response_size_bytes_count')).toEqual([
      'http_response_size_bytes_count{method="GET",route="/slow"} 0',
      'http_response_size_bytes_count{method="GET",route="/walks/:id"} 0',
    ]);
    // Time for a second, wrong recording to show up if there were one (Node 24 closes the
    // queued responses as well).
    await sleep(50);
    expect(await lines(registry, 'http_request_duration_seconds_count')).toHaveLength(2);
    expect(await lines(registry, 'http_requests_in_flight')).toEqual(['http_requests_in_flight 0']);
    await close(server);
  });

  it('keeps none of 1,000 abandoned pipelines in its side table', async () => {
    const registry = newRegistry();
    const { app, seen } = pipelinedApp(registry);
    const { server } = await listen(app);
    const { port } = server.address() as AddressInfo;
    for (let batch = 0; batch < 10; batch++) {
      await abandonPipelines(port, registry, 100);
      await settled(registry);
    }

    expect(seen).toHaveLength(8_000);
    expect(seen.filter((reqOrRes) => inFlightRequestOf(reqOrRes) !== undefined)).toEqual([]);
    expect(await lines(registry, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/slow",status_code="499"} 1000',
      'http_request_duration_seconds_count{method="GET",route="/walks/:id",status_code="499"} 3000',
    ]);
    await close(server);
  }, 30_000);
});
