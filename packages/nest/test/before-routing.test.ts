import { sampleLines, scrape } from '@promenade/core/testing';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { DogsController, prefixAndVersion } from './fixtures.js';
import { createTestApp, metricsModule, PLATFORMS, type TestApp } from './harness.js';

/**
 * Requests answered before a Nest handler runs: by a body parser, or by the CORS preflight
 * handler. Express parses bodies before it routes; Fastify routes first and @fastify/cors
 * answers preflights from its own `*` route: the route label says what each framework knew.
 */
const EXPECTED = {
  express: [
    'http_request_duration_seconds_count{method="OPTIONS",route="<unmatched>",status_code="204"} 1',
    'http_request_duration_seconds_count{method="POST",route="<unmatched>",status_code="400"} 1',
  ],
  fastify: [
    'http_request_duration_seconds_count{method="OPTIONS",route="*",status_code="204"} 1',
    'http_request_duration_seconds_count{method="POST",route="/api/v1/dogs",status_code="400"} 1',
  ],
};

/**
 * The parser's error reaches Nest's exception layer, which counts it as any route's error is
 * counted (as @promenade/express counts what reaches an Express error handler), under the
 * exception Nest maps it to on each platform. The preflight raises nothing.
 */
const EXPECTED_EXCEPTIONS = {
  express: ['http_exceptions_total{method="POST",route="<unmatched>",type="BadRequestException"} 1'],
  fastify: ['http_exceptions_total{method="POST",route="/api/v1/dogs",type="HttpException"} 1'],
};

describe.each(PLATFORMS)('requests answered before routing on %s', (platform) => {
  let testApp: TestApp;

  afterEach(async () => {
    await testApp.close();
  });

  it('records a CORS preflight and a malformed JSON body, and keeps the in-flight gauge at 0', async () => {
    const registry = new Registry();
    testApp = await createTestApp(platform, {
      imports: [metricsModule(registry)],
      controllers: [DogsController],
      prepare: (app) => {
        prefixAndVersion(app);
        app.enableCors();
      },
    });

    const preflight = await testApp.send({
      method: 'OPTIONS',
      url: '/api/v1/dogs/1',
      headers: { origin: 'https://dogs.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    const malformed = await testApp.send({
      method: 'POST',
      url: '/api/v1/dogs',
      headers: { 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(malformed.status).toBe(400);

    const text = await scrape(registry);
    expect(sampleLines(text, 'http_request_duration_seconds_count')).toEqual(EXPECTED[platform]);
    expect(sampleLines(text, 'http_requests_in_flight')).toEqual(['http_requests_in_flight 0']);
    expect(sampleLines(text, 'http_exceptions_total')).toEqual(EXPECTED_EXCEPTIONS[platform]);
  });
});
