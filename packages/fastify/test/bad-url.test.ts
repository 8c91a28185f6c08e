import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sampleLines, scrape } from '@promenade/core/testing';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { FASTIFY_VERSIONS, instrumentedApp } from './harness.js';

/** Sent as is: Node's client does not re-encode a path. */
const MALFORMED = ['/dogs/%E0%A4%A', '/nope/%ZZ'];

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ port, path }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

function dogsApp(factory: (typeof FASTIFY_VERSIONS)[number][1]): {
  app: FastifyInstance;
  registry: Registry;
} {
  const { app, registry } = instrumentedApp(factory);
  app.get('/dogs/:id', async () => 'ok');
  return { app, registry };
}

const counts = async (registry: Registry) =>
  sampleLines(await scrape(registry), 'http_request_duration_seconds_count').sort();

/**
 * Fastify answers a URL that does not decode with its 400 (FST_ERR_BAD_URL) from its router,
 * running no hook: such requests reached the server and are counted as Express counts them.
 */
describe.each(FASTIFY_VERSIONS)('%s: a URL that does not decode', (_name, factory) => {
  it('is recorded as <unmatched> with its 400, through inject', async () => {
    const { app, registry } = dogsApp(factory);
    for (const url of MALFORMED) expect((await app.inject({ url })).statusCode).toBe(400);
    expect((await app.inject({ url: '/dogs/7' })).statusCode).toBe(200);

    expect(await counts(registry)).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/dogs/:id",status_code="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="400"} 2',
    ]);
    expect(sampleLines(await scrape(registry), 'http_response_size_bytes_count')).toContain(
      'http_response_size_bytes_count{method="GET",route="<unmatched>"} 2',
    );
  });

  it('is recorded as <unmatched> with its 400, over HTTP', async () => {
    const { app, registry } = dogsApp(factory);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    for (const path of MALFORMED) expect(await get(port, path)).toBe(400);
    expect(await get(port, '/dogs/7')).toBe(200);

    // A response is recorded when it closes, just after the client has it.
    for (let attempt = 0; attempt < 100 && (await counts(registry)).length < 2; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(await counts(registry)).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/dogs/:id",status_code="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="400"} 2',
    ]);
    expect(sampleLines(await scrape(registry), 'http_requests_in_flight')).toEqual([
      'http_requests_in_flight 0',
    ]);
  });

  it('is not recorded by an instance that was not asked to, nor twice when a hook answered first', async () => {
    const { app, registry } = dogsApp(factory);
    const other = factory();
    other.get('/dogs/:id', async () => 'ok');
    // A hook ahead of nothing of Promenade's: registered before the plugin's, it answers itself.
    app.addHook('onRequest', async (request, reply) => {
      if (request.url === '/dogs/held') return reply.code(403).send('no');
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    await other.listen({ port: 0, host: '127.0.0.1' });
    try {
      expect(await get((other.server.address() as AddressInfo).port, MALFORMED[0]!)).toBe(400);
      expect(await get((app.server.address() as AddressInfo).port, '/dogs/held')).toBe(403);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await counts(registry)).toEqual([
        'http_request_duration_seconds_count{method="GET",route="/dogs/:id",status_code="403"} 1',
      ]);
    } finally {
      await other.close();
    }
  });
});
