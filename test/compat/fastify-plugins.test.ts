import compress from '@fastify/compress';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import underPressure from '@fastify/under-pressure';
import fastifyMetrics from '@promenade/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LARGE_JSON, type RawResponse, send, series } from './support.js';

/**
 * Promenade's plugin first, then the plugins a Fastify service usually runs, each registered
 * as its own documentation says, on a real server. Each one's own effect is checked beside
 * Promenade's series.
 */
async function dogWalkerApp(registry: Registry, health: { ok: boolean }): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(fastifyMetrics, { registry, defaultMetrics: false });
  await app.register(helmet);
  await app.register(cors, { origin: 'https://dogs.example' });
  await app.register(compress);
  await app.register(
    async (api) => {
      api.get('/dogs', async () => LARGE_JSON);
      api.get('/kennels', async () => LARGE_JSON);
      await api.register(
        async (v1) => {
          v1.get('/dogs/:id', async (request) => ({ id: (request.params as { id: string }).id }));
        },
        { prefix: '/v1' },
      );
    },
    { prefix: '/api' },
  );
  // Under pressure only inside this plugin: its health check is what the test sets.
  await app.register(
    async (busy) => {
      await busy.register(underPressure, { healthCheck: async () => health.ok, healthCheckInterval: 5 });
      busy.get('/walks', async () => ({ walks: 3 }));
    },
    { prefix: '/busy' },
  );
  return app;
}

describe('Fastify with @fastify/helmet, @fastify/cors, @fastify/compress, prefixed plugins and @fastify/under-pressure', () => {
  const registry = new Registry();
  const health = { ok: true };
  let app: FastifyInstance;
  const got: Record<string, RawResponse> = {};

  beforeAll(async () => {
    app = await dogWalkerApp(registry, health);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    got.gzip = await send(`${url}/api/dogs`, { headers: { 'accept-encoding': 'gzip' } });
    got.identity = await send(`${url}/api/kennels`);
    got.nested = await send(`${url}/api/v1/dogs/7`);
    got.preflight = await send(`${url}/api/dogs`, {
      method: 'OPTIONS',
      headers: { origin: 'https://dogs.example', 'access-control-request-method': 'GET' },
    });
    got.relaxed = await send(`${url}/busy/walks`);
    health.ok = false;
    // The plugin reads the health check every 5 ms.
    await new Promise((resolve) => setTimeout(resolve, 60));
    got.pressed = await send(`${url}/busy/walks`);
  });

  afterAll(() => app.close());

  it('each plugin still does its job', () => {
    expect(got.gzip!.headers['content-encoding']).toBe('gzip');
    expect(got.gzip!.headers['x-content-type-options']).toBe('nosniff');
    expect(got.preflight!.status).toBe(204);
    expect(got.preflight!.headers['access-control-allow-origin']).toBe('https://dogs.example');
    expect(JSON.parse(got.nested!.body.toString())).toEqual({ id: '7' });
    expect([got.relaxed!.status, got.pressed!.status]).toEqual([200, 503]);
    expect(got.pressed!.headers['retry-after']).toBe('10');
  });

  it('every request is recorded once, under its prefixed route template and final status', async () => {
    expect(await series(registry, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/api/dogs",status_code="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="/api/kennels",status_code="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="/api/v1/dogs/:id",status_code="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="/busy/walks",status_code="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="/busy/walks",status_code="503"} 1',
      // @fastify/cors answers preflights with a catch-all OPTIONS route of its own.
      'http_request_duration_seconds_count{method="OPTIONS",route="*",status_code="204"} 1',
    ]);
    expect(await series(registry, 'http_exceptions_total')).toEqual([
      'http_exceptions_total{method="GET",route="/busy/walks",type="FastifyError"} 1',
    ]);
    expect(await series(registry, 'http_requests_in_flight')).toEqual(['http_requests_in_flight 0']);
  });

  it('the response size is the body as sent: compressed when @fastify/compress compressed it', async () => {
    const uncompressed = Buffer.byteLength(JSON.stringify(LARGE_JSON));
    expect(got.gzip!.body.length).toBeLessThan(uncompressed / 5);
    expect(got.identity!.body.length).toBe(uncompressed);
    const sums = await series(registry, 'http_response_size_bytes_sum');
    expect(sums).toContain(
      `http_response_size_bytes_sum{method="GET",route="/api/dogs"} ${got.gzip!.body.length}`,
    );
    expect(sums).toContain(`http_response_size_bytes_sum{method="GET",route="/api/kennels"} ${uncompressed}`);
  });
});
