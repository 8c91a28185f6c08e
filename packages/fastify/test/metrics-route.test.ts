import { gunzipSync } from 'node:zlib';
import { createHttpInstrumentation } from '@promenade/core/adapter';
import { metricValue } from '@promenade/core/testing';
import { describe, expect, it } from 'vitest';
import { createApp, FASTIFY_VERSIONS, instrumentedApp, registerMetrics } from './harness.js';

const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;
const BASIC_CHALLENGE = 'Basic realm="metrics", charset="UTF-8"';
const BEARER_CHALLENGE = 'Bearer realm="metrics"';

describe.each(FASTIFY_VERSIONS)('%s: the metrics route', (_name, factory) => {
  it('serves the text exposition on /metrics', async () => {
    const { app } = instrumentedApp(factory);
    app.get('/dogs', async () => []);
    await app.inject({ method: 'GET', url: '/dogs' });
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toContain(
      'http_request_duration_seconds_count{method="GET",route="/dogs",status_code="200"} 1\n',
    );
    expect(Number(response.headers['content-length'])).toBe(response.rawPayload.length);
  });

  it('answers HEAD with the headers of a GET and no body', async () => {
    const { app } = instrumentedApp(factory);
    const response = await app.inject({ method: 'HEAD', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.length).toBe(0);
    expect(Number(response.headers['content-length'])).toBeGreaterThan(0);
  });

  it('answers other methods with 405, as every Promenade adapter does, and records none of them', async () => {
    const { app, registry } = instrumentedApp(factory);
    app.get('/dogs', async () => []);
    for (const method of ['POST', 'PUT', 'DELETE'] as const) {
      const response = await app.inject({ method, url: '/metrics' });
      expect(response.statusCode).toBe(405);
      expect(response.headers.allow).toBe('GET, HEAD');
    }
    await app.inject({ method: 'GET', url: '/dogs' });
    // Only the application's own request is recorded.
    expect(await metricValue(registry, 'http_request_duration_seconds_count')).toBe(1);
    expect(await metricValue(registry, 'http_request_duration_seconds_count', { route: '/dogs' })).toBe(1);
  });

  it('serves OpenMetrics when the scraper asks for it', async () => {
    const { app } = instrumentedApp(factory);
    const response = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' },
    });
    expect(response.headers['content-type']).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
    expect(response.body.endsWith('# EOF\n')).toBe(true);
    expect(response.body).toContain('# TYPE http_exceptions counter\n');
  });

  it('gzips the exposition when the scraper accepts gzip', async () => {
    const { app } = instrumentedApp(factory);
    const response = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers.vary).toBe('Accept, Accept-Encoding');
    expect(Number(response.headers['content-length'])).toBe(response.rawPayload.length);
    expect(gunzipSync(response.rawPayload).toString()).toContain('# TYPE http_requests_in_flight gauge\n');
  });

  it('serves on another path, and on none with metricsPath: false', async () => {
    const moved = instrumentedApp(factory, { metricsPath: '/internal/prometheus' });
    expect((await moved.app.inject({ method: 'GET', url: '/internal/prometheus' })).statusCode).toBe(200);
    expect((await moved.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);

    const { app, registry } = instrumentedApp(factory, { metricsPath: false });
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    // Served elsewhere through core's endpoint, on the same registry.
    const { endpoint } = createHttpInstrumentation(
      { registry, defaultMetrics: false, metricsPath: false },
      { packageName: 'test' },
    );
    const scrape = await endpoint.respond({ method: 'GET', headers: {} });
    expect(scrape.body.toString()).toContain(
      'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="404"} 1\n',
    );
  });

  describe('protected with basic auth', () => {
    const auth = { username: 'walker', password: 's3cret:leash' };

    it.each([
      ['no credentials', undefined],
      ['a wrong password', basic('walker:wrong')],
      ['a wrong username', basic('sitter:s3cret:leash')],
      ['a malformed header', 'Basic not base64!'],
      ['credentials without a colon', basic('walker')],
      ['a bearer token instead', 'Bearer s3cret:leash'],
    ])('refuses %s with 401 and a challenge', async (_case, authorization) => {
      const { app } = instrumentedApp(factory, { auth });
      const headers = authorization === undefined ? {} : { authorization };
      const response = await app.inject({ method: 'GET', url: '/metrics', headers });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe(BASIC_CHALLENGE);
      expect(response.body).toBe('Unauthorized\n');
    });

    it('serves the right credentials', async () => {
      const { app } = instrumentedApp(factory, { auth });
      const response = await app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: basic('walker:s3cret:leash') },
      });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('# TYPE http_request_duration_seconds histogram\n');
    });
  });

  describe('protected with a bearer token', () => {
    const auth = { token: 'tok-123' };

    it.each([
      ['no credentials', undefined],
      ['a wrong token', 'Bearer tok-124'],
      ['a malformed header', 'Bearer'],
      ['basic credentials instead', basic('tok-123:tok-123')],
    ])('refuses %s with 401 and a challenge', async (_case, authorization) => {
      const { app } = instrumentedApp(factory, { auth });
      const headers = authorization === undefined ? {} : { authorization };
      const response = await app.inject({ method: 'GET', url: '/metrics', headers });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe(BEARER_CHALLENGE);
    });

    it('serves the right token', async () => {
      const { app } = instrumentedApp(factory, { auth });
      const response = await app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: 'Bearer tok-123' },
      });
      expect(response.statusCode).toBe(200);
    });
  });

  it('takes its protection from the environment when auth is not given', async () => {
    process.env.PROMENADE_METRICS_TOKEN = 'from-env';
    try {
      const { app } = instrumentedApp(factory);
      expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
      const allowed = await app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: 'Bearer from-env' },
      });
      expect(allowed.statusCode).toBe(200);
    } finally {
      delete process.env.PROMENADE_METRICS_TOKEN;
    }
  });

  it('reports a failed collection to the app logger and answers 500', async () => {
    const logLines: string[] = [];
    const stream = { write: (line: string) => logLines.push(line) };
    const { app, registry } = createApp(factory, { logger: { level: 'error', stream } });
    registerMetrics(app, registry);
    await app.ready();
    app.metrics.gauge({
      name: 'kennel_doors_open',
      help: 'Doors open.',
      collect() {
        throw new Error('the door sensor is offline');
      },
    });
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(500);
    expect(response.body).toBe('Metrics collection failed; see the application log.\n');
    const failures = logLines.map((line) => JSON.parse(line)).filter((entry) => entry.level === 50);
    expect(failures).toHaveLength(1);
    expect(failures[0].msg).toBe('@promenade/fastify: metrics collection failed');
    expect(failures[0].err.message).toBe('the door sensor is offline');
  });
});
