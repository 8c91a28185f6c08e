import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { sampleLines, scrape } from '@promenade/core/testing';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { FASTIFY_VERSIONS, instrumentedApp } from './harness.js';

/**
 * Requests pipelined on one connection: Fastify begins the queued ones while the first is still
 * answered, and Node hands each queued response its socket only when the one ahead has finished.
 * Each must be recorded once, with its body, and leave nothing in flight.
 */
async function listen(app: FastifyInstance): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as AddressInfo).port;
}

/** Sends `paths` pipelined on one connection; resolves once `answers` responses have come. */
function pipeline(port: number, paths: string[], answers: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('error', reject);
    socket.on('data', (data) => {
      received += data.toString('latin1');
      if (received.split('HTTP/1.1 200').length - 1 === answers) {
        socket.destroy();
        resolve();
      }
    });
    socket.write(paths.map((path) => `GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`).join(''));
  });
}

describe.each(FASTIFY_VERSIONS)('%s: pipelined requests', (_name, factory) => {
  it('records each queued request once, with its body, when its response gets its socket late', async () => {
    const { app, registry } = instrumentedApp(factory);
    app.get('/slow', async () => {
      await sleep(30);
      return 'slow';
    });
    app.get('/walks/:id', async () => 'walked');
    await pipeline(await listen(app), ['/slow', '/walks/1', '/walks/2'], 3);
    await sleep(20);

    const text = await scrape(registry);
    expect(sampleLines(text, 'http_request_duration_seconds_count').sort()).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/slow",status_code="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="/walks/:id",status_code="200"} 2',
    ]);
    expect(sampleLines(text, 'http_response_size_bytes_sum').sort()).toEqual([
      'http_response_size_bytes_sum{method="GET",route="/slow"} 4',
      'http_response_size_bytes_sum{method="GET",route="/walks/:id"} 12',
    ]);
    expect(sampleLines(text, 'http_requests_in_flight')).toEqual(['http_requests_in_flight 0']);
    await app.close();
  });
});
