import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { sampleLines, scrape } from '@promenade/core/testing';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { DogsController, gate, prefixAndVersion } from './fixtures.js';
import { createTestApp, metricsModule, PLATFORMS, type TestApp } from './harness.js';

/** Polls the exposition until `name` has a sample, for at most five seconds. */
async function waitForLine(registry: Registry, name: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (sampleLines(await scrape(registry), name).length === 0) {
    if (Date.now() > deadline) throw new Error(`no ${name} sample within 5 s`);
    await sleep(5);
  }
}

describe.each(PLATFORMS)('a client that goes away on %s', (platform) => {
  let testApp: TestApp | undefined;

  afterEach(async () => {
    gate.release();
    await testApp?.close();
    gate.reset();
  });

  it('is recorded once, as 499, under its route', async () => {
    const registry = new Registry();
    testApp = await createTestApp(platform, {
      imports: [metricsModule(registry)],
      controllers: [DogsController],
      prepare: prefixAndVersion,
    });
    await testApp.app.listen(0, '127.0.0.1');
    const { port } = testApp.app.getHttpServer().address() as AddressInfo;

    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.write('GET /api/v1/dogs/1/slow HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await gate.entered;
    expect(sampleLines(await scrape(registry), 'http_requests_in_flight')).toEqual([
      'http_requests_in_flight 1',
    ]);

    socket.destroy();
    // The server must see the disconnect before the handler answers: waited for, not slept
    // for, as a loaded machine may take longer than any fixed pause.
    await waitForLine(registry, 'http_request_duration_seconds_count');
    // The handler finishes after the client left; its late response must not count again.
    gate.release();
    await sleep(50);

    const text = await scrape(registry);
    expect(sampleLines(text, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/api/v1/dogs/:id/slow",status_code="499"} 1',
    ]);
    expect(sampleLines(text, 'http_requests_in_flight')).toEqual(['http_requests_in_flight 0']);
    // The size of a response that never arrived is unknown, so it is not observed.
    expect(sampleLines(text, 'http_response_size_bytes_count')).toEqual([
      'http_response_size_bytes_count{method="GET",route="/api/v1/dogs/:id/slow"} 0',
    ]);
  });
});
