import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { APP_FILTER, HttpAdapterHost } from '@nestjs/core';
import { sampleLines, scrape } from '@promenade/core/testing';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PrometheusModule } from '../src/index.js';
import { DenyGuard, DogsController, prefixAndVersion, TeapotFilter } from './fixtures.js';
import { createTestApp, metricsModule, PLATFORMS, type TestApp } from './harness.js';

const COUNT = 'http_request_duration_seconds_count';

describe.each(PLATFORMS)('exceptions: false on %s', (platform) => {
  it.each([
    [
      'forRoot',
      (registry: Registry) =>
        PrometheusModule.forRoot({ registry, auth: false, defaultMetrics: false, exceptions: false }),
    ],
    [
      'forRootAsync',
      (registry: Registry) =>
        PrometheusModule.forRootAsync({
          useFactory: () => ({ registry, auth: false, defaultMetrics: false }),
          exceptions: false,
        }),
    ],
  ])('given to %s, records the failed request and counts no exception', async (_form, prometheusModule) => {
    // Exceptions are captured process-wide once any application counts them: one does here.
    const counting = await createTestApp(platform, {
      imports: [metricsModule(new Registry())],
      controllers: [DogsController],
    });
    await counting.close();
    const registry = new Registry();
    const testApp = await createTestApp(platform, {
      imports: [prometheusModule(registry)],
      controllers: [DogsController],
      prepare: prefixAndVersion,
    });
    try {
      expect((await testApp.send({ url: '/api/v1/dogs/1/tricks' })).status).toBe(500);
      const text = await scrape(registry);
      expect(sampleLines(text, COUNT)).toEqual([
        'http_request_duration_seconds_count{method="GET",route="/api/v1/dogs/:id/tricks",status_code="500"} 1',
      ]);
      expect(sampleLines(text, 'http_exceptions_total')).toEqual([]);
    } finally {
      await testApp.close();
    }
  });
});

/** An application's own catch-all filter: it answers every error with 503 and keeps what it got. */
@Catch()
class CatchAllFilter implements ExceptionFilter {
  static readonly seen: unknown[] = [];
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(error: unknown, host: ArgumentsHost): void {
    CatchAllFilter.seen.push(error);
    this.adapterHost.httpAdapter.reply(host.switchToHttp().getResponse(), { message: 'later' }, 503);
  }
}

describe.each(PLATFORMS)("an application's own catch-all filter on %s", (platform) => {
  it('still receives each error itself, decides the status, and the error is counted', async () => {
    const registry = new Registry();
    CatchAllFilter.seen.length = 0;
    const testApp = await createTestApp(platform, {
      imports: [metricsModule(registry)],
      controllers: [DogsController],
      providers: [{ provide: APP_FILTER, useClass: CatchAllFilter }],
      prepare: prefixAndVersion,
    });
    try {
      expect((await testApp.send({ url: '/api/v1/dogs/1/tricks' })).status).toBe(503);
      expect(CatchAllFilter.seen).toHaveLength(1);
      expect(CatchAllFilter.seen[0]).toBeInstanceOf(TypeError);
      const text = await scrape(registry);
      expect(sampleLines(text, COUNT)).toEqual([
        'http_request_duration_seconds_count{method="GET",route="/api/v1/dogs/:id/tricks",status_code="503"} 1',
      ]);
      expect(sampleLines(text, 'http_exceptions_total')).toEqual([
        'http_exceptions_total{method="GET",route="/api/v1/dogs/:id/tricks",type="TypeError"} 1',
      ]);
    } finally {
      await testApp.close();
    }
  });
});

describe.each(PLATFORMS)('HTTP metrics on %s', (platform) => {
  let registry: Registry;
  let testApp: TestApp;

  beforeEach(async () => {
    registry = new Registry();
    testApp = await createTestApp(platform, {
      imports: [metricsModule(registry)],
      controllers: [DogsController],
      providers: [DenyGuard, TeapotFilter],
      prepare: prefixAndVersion,
    });
  });

  afterEach(async () => {
    await testApp.close();
  });

  const lines = async (name: string) => sampleLines(await scrape(registry), name);

  it('labels a matched route with its template, global prefix and URI version included', async () => {
    expect((await testApp.send({ url: '/api/v1/dogs/7' })).status).toBe(200);
    expect((await testApp.send({ url: '/api/v1/dogs/8?walk=true' })).status).toBe(200);

    expect(await lines(COUNT)).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/api/v1/dogs/:id",status_code="200"} 2',
    ]);
    expect(await lines('http_response_size_bytes_sum')).toEqual([
      'http_response_size_bytes_sum{method="GET",route="/api/v1/dogs/:id"} 42',
    ]);
    expect(await lines('http_request_size_bytes_sum')).toEqual([
      'http_request_size_bytes_sum{method="GET",route="/api/v1/dogs/:id"} 0',
    ]);
    expect(await lines('http_requests_in_flight')).toEqual(['http_requests_in_flight 0']);
  });

  it('records a POST with its body size', async () => {
    const body = JSON.stringify({ name: 'Laika' });
    const reply = await testApp.send({
      method: 'POST',
      url: '/api/v1/dogs',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(reply.status).toBe(201);

    expect(await lines(COUNT)).toEqual([
      'http_request_duration_seconds_count{method="POST",route="/api/v1/dogs",status_code="201"} 1',
    ]);
    expect(await lines('http_request_size_bytes_sum')).toEqual([
      `http_request_size_bytes_sum{method="POST",route="/api/v1/dogs"} ${body.length}`,
    ]);
  });

  it('records a request that matched no route as <unmatched>, with or without the prefix', async () => {
    expect((await testApp.send({ url: '/api/v1/cats/1' })).status).toBe(404);
    expect((await testApp.send({ url: '/nowhere' })).status).toBe(404);
    expect((await testApp.send({ method: 'DELETE', url: '/api/v1/dogs/1' })).status).toBe(404);

    expect(await lines(COUNT)).toEqual([
      'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="404"} 2',
      'http_request_duration_seconds_count{method="DELETE",route="<unmatched>",status_code="404"} 1',
    ]);
    // A route that matched nothing raised nothing: no view ran.
    expect(await lines('http_exceptions_total')).toEqual([]);
  });

  // A guard's rejection is an exception of the route, as an Express middleware's next(err) is.
  it.each([
    ['a handler that throws as 500', '/api/v1/dogs/1/tricks', 500, '/api/v1/dogs/:id/tricks', 'TypeError'],
    [
      'a request a guard rejected (403)',
      '/api/v1/dogs/1/walk',
      403,
      '/api/v1/dogs/:id/walk',
      'ForbiddenException',
    ],
    ['a pipe validation failure (400)', '/api/v1/dogs/rex', 400, '/api/v1/dogs/:id', 'BadRequestException'],
    [
      'the status an exception filter chose (418)',
      '/api/v1/dogs/1/tea',
      418,
      '/api/v1/dogs/:id/tea',
      'TeapotError',
    ],
  ])('records %s under its route and counts the error by type', async (_case, url, status, route, type) => {
    expect((await testApp.send({ url })).status).toBe(status);

    expect(await lines(COUNT)).toEqual([
      `http_request_duration_seconds_count{method="GET",route="${route}",status_code="${status}"} 1`,
    ]);
    expect(await lines('http_exceptions_total')).toEqual([
      `http_exceptions_total{method="GET",route="${route}",type="${type}"} 1`,
    ]);
  });

  it('counts the bytes of a streamed body that has no Content-Length', async () => {
    const reply = await testApp.send({ url: '/api/v1/dogs/1/photo' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-length']).toBeUndefined();

    expect(await lines('http_response_size_bytes_sum')).toEqual([
      'http_response_size_bytes_sum{method="GET",route="/api/v1/dogs/:id/photo"} 10',
    ]);
  });

  it('records HEAD under the GET route with a response size of 0', async () => {
    const reply = await testApp.send({ method: 'HEAD', url: '/api/v1/dogs/3' });
    expect(reply.status).toBe(200);

    expect(await lines(COUNT)).toEqual([
      'http_request_duration_seconds_count{method="HEAD",route="/api/v1/dogs/:id",status_code="200"} 1',
    ]);
    expect(await lines('http_response_size_bytes_sum')).toEqual([
      'http_response_size_bytes_sum{method="HEAD",route="/api/v1/dogs/:id"} 0',
    ]);
  });

  it('does not record scrapes of /metrics, served at the root despite the global prefix', async () => {
    await testApp.send({ url: '/api/v1/dogs/1' });
    const scraped = await testApp.send({ url: '/metrics' });
    expect(scraped.status).toBe(200);
    expect(scraped.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(sampleLines(scraped.text, COUNT)).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/api/v1/dogs/:id",status_code="200"} 1',
    ]);
    await testApp.send({ url: '/metrics' });

    expect(await lines(COUNT)).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/api/v1/dogs/:id",status_code="200"} 1',
    ]);
    expect((await testApp.send({ url: '/api/metrics' })).status).toBe(404);
  });
});
