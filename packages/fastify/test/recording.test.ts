import { Readable } from 'node:stream';
import { metricValue, sampleLines, scrape } from '@promenade/core/testing';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createApp, FASTIFY_VERSIONS, instrumentedApp, registerMetrics } from './harness.js';

/** The sample lines of `name` whose labels start with `labels`: one route's or one method's. */
function samplesWith(exposition: string, name: string, labels: string): string[] {
  return sampleLines(exposition, name).filter((line) => line.startsWith(`${name}{${labels}`));
}

/**
 * The duration bucket lines, on buckets [0.05, 10], of one GET of `route` that took between 50 ms
 * and 10 s.
 */
function oneRequestSlowerThan50ms(route: string, status: number): string[] {
  const on = `method="GET",route="${route}",status_code="${status}"`;
  return [
    `http_request_duration_seconds_bucket{${on},le="0.05"} 0`,
    `http_request_duration_seconds_bucket{${on},le="10"} 1`,
    `http_request_duration_seconds_bucket{${on},le="+Inf"} 1`,
  ];
}

const BUCKETS = { duration: [10], requestSize: [1024, 131_072], responseSize: [1024, 131_072] };

async function dogRoutes(api: FastifyInstance): Promise<void> {
  api.get('/dogs/:id', async (request) => ({ id: (request.params as { id: string }).id, name: 'Rex' }));
  api.post(
    '/dogs',
    { schema: { body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } },
    async (_request, reply) => reply.code(201).send({ created: true }),
  );
  api.get('/boom', async () => {
    throw new TypeError('the leash snapped');
  });
  api.post('/echo', async (request) => 'y'.repeat((request.body as string).length * 2));
}

describe.each(FASTIFY_VERSIONS)('%s: recording', (_name, factory) => {
  it('records a scripted set of requests as exact exposition lines', async () => {
    const { app, registry } = instrumentedApp(factory, { buckets: BUCKETS });
    app.register(dogRoutes, { prefix: '/api' });

    expect((await app.inject({ method: 'GET', url: '/api/dogs/7' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/dogs/8' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'HEAD', url: '/api/dogs/7' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/nowhere' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/boom' })).statusCode).toBe(500);
    expect((await app.inject({ method: 'POST', url: '/api/dogs', payload: {} })).statusCode).toBe(400);
    expect((await app.inject({ method: 'PURGE', url: '/api/dogs/7' })).statusCode).toBe(404);
    const echo = await app.inject({
      method: 'POST',
      url: '/api/echo',
      headers: { 'content-type': 'text/plain' },
      payload: 'x'.repeat(100_000),
    });
    expect(echo.body.length).toBe(200_000);

    const text = await scrape(registry);
    expect(sampleLines(text, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/api/dogs/:id",status_code="200"} 2',
      'http_request_duration_seconds_count{method="HEAD",route="/api/dogs/:id",status_code="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="404"} 1',
      'http_request_duration_seconds_count{method="GET",route="/api/boom",status_code="500"} 1',
      'http_request_duration_seconds_count{method="POST",route="/api/dogs",status_code="400"} 1',
      'http_request_duration_seconds_count{method="_OTHER",route="<unmatched>",status_code="404"} 1',
      'http_request_duration_seconds_count{method="POST",route="/api/echo",status_code="200"} 1',
    ]);
    expect(
      samplesWith(text, 'http_request_duration_seconds_bucket', 'method="GET",route="/api/dogs/:id"'),
    ).toEqual([
      'http_request_duration_seconds_bucket{method="GET",route="/api/dogs/:id",status_code="200",le="10"} 2',
      'http_request_duration_seconds_bucket{method="GET",route="/api/dogs/:id",status_code="200",le="+Inf"} 2',
    ]);
    expect(samplesWith(text, 'http_request_size_bytes_bucket', 'method="POST"')).toEqual([
      'http_request_size_bytes_bucket{method="POST",route="/api/dogs",le="1024"} 1',
      'http_request_size_bytes_bucket{method="POST",route="/api/dogs",le="131072"} 1',
      'http_request_size_bytes_bucket{method="POST",route="/api/dogs",le="+Inf"} 1',
      'http_request_size_bytes_bucket{method="POST",route="/api/echo",le="1024"} 0',
      'http_request_size_bytes_bucket{method="POST",route="/api/echo",le="131072"} 1',
      'http_request_size_bytes_bucket{method="POST",route="/api/echo",le="+Inf"} 1',
    ]);
    expect(sampleLines(text, 'http_request_size_bytes_sum')).toEqual([
      'http_request_size_bytes_sum{method="GET",route="/api/dogs/:id"} 0',
      'http_request_size_bytes_sum{method="HEAD",route="/api/dogs/:id"} 0',
      'http_request_size_bytes_sum{method="GET",route="<unmatched>"} 0',
      'http_request_size_bytes_sum{method="GET",route="/api/boom"} 0',
      'http_request_size_bytes_sum{method="POST",route="/api/dogs"} 2',
      'http_request_size_bytes_sum{method="_OTHER",route="<unmatched>"} 0',
      'http_request_size_bytes_sum{method="POST",route="/api/echo"} 100000',
    ]);
    expect(samplesWith(text, 'http_response_size_bytes_bucket', 'method="POST",route="/api/echo"')).toEqual([
      'http_response_size_bytes_bucket{method="POST",route="/api/echo",le="1024"} 0',
      'http_response_size_bytes_bucket{method="POST",route="/api/echo",le="131072"} 0',
      'http_response_size_bytes_bucket{method="POST",route="/api/echo",le="+Inf"} 1',
    ]);
    // Two JSON bodies of 23 bytes; HEAD sends no body, whatever its Content-Length says.
    expect(samplesWith(text, 'http_response_size_bytes_sum', 'method="GET",route="/api/dogs/:id"}')).toEqual([
      'http_response_size_bytes_sum{method="GET",route="/api/dogs/:id"} 46',
    ]);
    expect(samplesWith(text, 'http_response_size_bytes_sum', 'method="HEAD"')).toEqual([
      'http_response_size_bytes_sum{method="HEAD",route="/api/dogs/:id"} 0',
    ]);
    expect(sampleLines(text, 'http_exceptions_total')).toEqual([
      'http_exceptions_total{method="GET",route="/api/boom",type="TypeError"} 1',
      'http_exceptions_total{method="POST",route="/api/dogs",type="Error"} 1',
    ]);
    expect(sampleLines(text, 'http_requests_in_flight')).toEqual(['http_requests_in_flight 0']);
  });

  it('times a request from its routing to the last byte of its response', async () => {
    const { app, registry } = instrumentedApp(factory, { buckets: { duration: [0.05, 10] } });
    app.get('/slow-walk', async () => {
      await new Promise((resolve) => setTimeout(resolve, 80));
      return 'done';
    });
    await app.inject({ method: 'GET', url: '/slow-walk' });
    expect(sampleLines(await scrape(registry), 'http_request_duration_seconds_bucket')).toEqual(
      oneRequestSlowerThan50ms('/slow-walk', 200),
    );
  });

  // 10,000 injected requests: seconds on a quiet machine, more under a loaded CI run.
  it('keeps the number of series unchanged over 10,000 distinct unmatched URLs', {
    timeout: 60_000,
  }, async () => {
    const { app, registry } = instrumentedApp(factory);
    await app.inject({ method: 'GET', url: '/first-miss' });
    const seriesBefore = (await scrape(registry)).split('\n').length;
    for (let batch = 0; batch < 100; batch++) {
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          app.inject({ method: 'GET', url: `/miss/${batch}/${i}?q=${i}` }),
        ),
      );
    }
    const text = await scrape(registry);
    expect(text.split('\n').length).toBe(seriesBefore);
    expect(text).not.toContain('/miss/');
    expect(
      await metricValue(registry, 'http_request_duration_seconds_count', {
        route: '<unmatched>',
        status_code: 404,
      }),
    ).toBe(10_001);
  });

  it('leaves out routes that opt out through config.metrics.exclude', async () => {
    const { app, registry } = instrumentedApp(factory);
    app.get('/healthz', { config: { metrics: { exclude: true } } }, async () => 'ok');
    app.get('/walks', { config: { metrics: { exclude: false } } }, async () => []);
    app.get('/crash', { config: { metrics: { exclude: true } } }, async () => {
      throw new Error('not counted');
    });
    await app.inject({ method: 'GET', url: '/healthz' });
    await app.inject({ method: 'GET', url: '/walks' });
    await app.inject({ method: 'GET', url: '/crash' });
    const text = await scrape(registry);
    expect(sampleLines(text, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/walks",status_code="200"} 1',
    ]);
    expect(sampleLines(text, 'http_exceptions_total')).toEqual([]);
  });

  it('does not record scrapes of its own metrics route', async () => {
    const { app, registry } = instrumentedApp(factory);
    app.get('/dogs', async () => []);
    for (let i = 0; i < 3; i++)
      expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'HEAD', url: '/metrics' })).statusCode).toBe(200);
    expect(await metricValue(registry, 'http_request_duration_seconds_count')).toBeUndefined();
    // The application's own requests are recorded all the same.
    await app.inject({ method: 'GET', url: '/dogs' });
    expect(sampleLines(await scrape(registry), 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/dogs",status_code="200"} 1',
    ]);
  });

  it('counts the bytes of a streamed response, which has no Content-Length', async () => {
    const { app, registry } = instrumentedApp(factory, { buckets: BUCKETS });
    app.get('/litter', async (_request, reply) => {
      reply.type('text/plain');
      return Readable.from([Buffer.alloc(1000, 'a'), Buffer.alloc(2000, 'b'), 'cc']);
    });
    const response = await app.inject({ method: 'GET', url: '/litter' });
    expect(response.headers['content-length']).toBeUndefined();
    expect(response.rawPayload.length).toBe(3002);
    const text = await scrape(registry);
    expect(sampleLines(text, 'http_response_size_bytes_bucket')).toEqual([
      'http_response_size_bytes_bucket{method="GET",route="/litter",le="1024"} 0',
      'http_response_size_bytes_bucket{method="GET",route="/litter",le="131072"} 1',
      'http_response_size_bytes_bucket{method="GET",route="/litter",le="+Inf"} 1',
    ]);
    expect(sampleLines(text, 'http_response_size_bytes_sum')).toEqual([
      'http_response_size_bytes_sum{method="GET",route="/litter"} 3002',
    ]);
  });

  it('counts a reply an onSend hook turned into a stream, registered before or after the plugin', async () => {
    const toStream = async (_request: unknown, reply: FastifyReply, payload: unknown) => {
      reply.removeHeader('content-length');
      return Readable.from([String(payload), '!']);
    };
    const before = createApp(factory);
    before.app.addHook('onSend', toStream);
    registerMetrics(before.app, before.registry);
    before.app.get('/bark', async () => 'woof');
    expect((await before.app.inject({ method: 'GET', url: '/bark' })).body).toBe('woof!');
    expect(sampleLines(await scrape(before.registry), 'http_response_size_bytes_sum')).toEqual([
      'http_response_size_bytes_sum{method="GET",route="/bark"} 5',
    ]);

    const after = instrumentedApp(factory);
    after.app.addHook('onSend', toStream);
    after.app.get('/bark', async () => 'woof');
    expect((await after.app.inject({ method: 'GET', url: '/bark' })).body).toBe('woof!');
    const text = await scrape(after.registry);
    // As @fastify/compress does from its route-level hook, which runs after every instance hook.
    expect(sampleLines(text, 'http_response_size_bytes_sum')).toEqual([
      'http_response_size_bytes_sum{method="GET",route="/bark"} 5',
    ]);
    expect(sampleLines(text, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/bark",status_code="200"} 1',
    ]);
  });

  it('records the routes declared before it, in plugins loaded before it too', async () => {
    const { app, registry } = createApp(factory);
    app.get('/early', async () => 'early');
    app.register(async (kennels) => {
      kennels.get('/kennels/:id', async () => ({ kennel: 1 }));
    });
    app.register(dogRoutes, { prefix: '/api' });
    registerMetrics(app, registry);
    await app.inject({ method: 'GET', url: '/early' });
    await app.inject({ method: 'GET', url: '/kennels/2' });
    await app.inject({ method: 'GET', url: '/api/dogs/3' });
    await app.inject({ method: 'GET', url: '/api/boom' });
    const text = await scrape(registry);
    expect(sampleLines(text, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/early",status_code="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="/kennels/:id",status_code="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="/api/dogs/:id",status_code="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="/api/boom",status_code="500"} 1',
    ]);
    expect(sampleLines(text, 'http_exceptions_total')).toEqual([
      'http_exceptions_total{method="GET",route="/api/boom",type="TypeError"} 1',
    ]);
  });

  it('still records a request that an onRequest hook registered before the plugin answered', async () => {
    const { app, registry } = createApp(factory);
    // As an auth plugin registered first would: the plugin's own onRequest hook never runs.
    app.addHook('onRequest', async (request, reply) => {
      await new Promise((resolve) => setTimeout(resolve, 80));
      if (request.headers.authorization === undefined) await reply.code(401).send({ error: 'who are you?' });
    });
    registerMetrics(app, registry, { buckets: { duration: [0.05, 10] } });
    app.get('/kennels/:id', async () => ({ kennel: 1 }));
    expect((await app.inject({ method: 'GET', url: '/kennels/3' })).statusCode).toBe(401);
    const text = await scrape(registry);
    // Timed from the start, the earlier hook's wait included.
    expect(sampleLines(text, 'http_request_duration_seconds_bucket')).toEqual(
      oneRequestSlowerThan50ms('/kennels/:id', 401),
    );
    expect(sampleLines(text, 'http_requests_in_flight')).toEqual(['http_requests_in_flight 0']);
    // Its body was not counted as written (the plugin's hook never ran): its Content-Length is.
    expect(sampleLines(text, 'http_response_size_bytes_sum')).toEqual([
      `http_response_size_bytes_sum{method="GET",route="/kennels/:id"} ${JSON.stringify({ error: 'who are you?' }).length}`,
    ]);
  });

  it('adds no onResponse hook when no onRequest hook runs ahead of its own, and one when a hook does', async () => {
    /**
     * The 'finish' listeners of the route's response: Fastify adds one when an onResponse hook
     * exists (an injected response has one of light-my-request's besides).
     */
    async function finishListeners(app: FastifyInstance): Promise<number> {
      let listeners = -1;
      app.get('/kennels/:id', async (_request, reply) => {
        listeners = reply.raw.listenerCount('finish');
        return { kennel: 1 };
      });
      expect((await app.inject({ method: 'GET', url: '/kennels/3' })).statusCode).toBe(200);
      return listeners;
    }

    const first = createApp(factory);
    registerMetrics(first.app, first.registry, {});
    // A hook registered after the plugin's runs after it: the plugin saw the request first.
    first.app.addHook('onRequest', (_request, _reply, done) => done());
    const withoutHook = await finishListeners(first.app);
    expect(sampleLines(await scrape(first.registry), 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/kennels/:id",status_code="200"} 1',
    ]);

    const behind = createApp(factory);
    behind.app.addHook('onRequest', (_request, _reply, done) => done());
    registerMetrics(behind.app, behind.registry, {});
    expect(await finishListeners(behind.app)).toBe(withoutHook + 1);
    const bare = createApp(factory).app;
    expect(await finishListeners(bare)).toBe(withoutHook);
    expect(sampleLines(await scrape(behind.registry), 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/kennels/:id",status_code="200"} 1',
    ]);
  });

  it('times a request from its own onRequest hook when no hook runs ahead of it', async () => {
    const { app, registry } = instrumentedApp(factory, { buckets: { duration: [0.05, 10] } });
    app.get('/slow', async () => {
      await new Promise((resolve) => setTimeout(resolve, 80));
      return { walked: true };
    });
    expect((await app.inject({ method: 'GET', url: '/slow' })).statusCode).toBe(200);
    const text = await scrape(registry);
    expect(sampleLines(text, 'http_request_duration_seconds_bucket')).toEqual(
      oneRequestSlowerThan50ms('/slow', 200),
    );
    expect(sampleLines(text, 'http_requests_in_flight')).toEqual(['http_requests_in_flight 0']);
  });
});
