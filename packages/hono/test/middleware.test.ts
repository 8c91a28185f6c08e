import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { PromenadeError } from '@promenade/core';
import { sampleLines, scrape } from '@promenade/core/testing';
import { metricsMiddleware } from '@promenade/hono';
import { Hono } from 'hono';
import { basicAuth } from 'hono/basic-auth';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';

const counts = async (registry: Registry) =>
  sampleLines(await scrape(registry), 'http_request_duration_seconds_count');

/** A request through `app.request`, its body read to the end, as a client would. */
async function statusOf(app: Hono, path: string, init?: RequestInit): Promise<number> {
  const response = await app.request(path, init);
  await response.arrayBuffer();
  return response.status;
}

function instrumentedApp(registry: Registry, options: object = {}): Hono {
  const app = new Hono();
  app.use(metricsMiddleware({ registry, defaultMetrics: false, ...options }));
  return app;
}

describe('options', () => {
  it('fails at creation, naming the package and the option', () => {
    let thrown: unknown;
    try {
      metricsMiddleware({ metricPath: '/m' } as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PromenadeError);
    expect((thrown as PromenadeError).code).toBe('ERR_PROMENADE_UNKNOWN_OPTION');
    expect((thrown as PromenadeError).message).toBe(
      '@promenade/hono: option "metricPath" is not a known option; did you mean "metricsPath"? (received "/m")',
    );
  });
});

describe('route labels from Hono’s match (Fetch requests, app.request)', () => {
  it('labels routes of mounted apps by template, a miss and what a middleware answered as <unmatched>, app.all by its path', async () => {
    const registry = new Registry();
    const app = instrumentedApp(registry);
    app.use('/admin/*', basicAuth({ username: 'a', password: 'b' }));
    app.get('/admin/stats', (c) => c.text('stats'));
    app.all('/graphql', (c) => c.json({ data: null }));
    const api = new Hono();
    api.get('/dogs/:id', (c) => c.json({ id: c.req.param('id') }));
    app.route('/api', api);

    expect(await statusOf(app, '/api/dogs/7')).toBe(200);
    expect(await statusOf(app, '/api/dogs/8')).toBe(200);
    expect(await statusOf(app, '/api/cats/1')).toBe(404);
    expect(await statusOf(app, '/admin/stats')).toBe(401);
    expect(await statusOf(app, '/graphql', { method: 'POST', body: '{}' })).toBe(200);
    expect(await counts(registry)).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/api/dogs/:id",status_code="200"} 2',
      'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="404"} 1',
      'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="401"} 1',
      'http_request_duration_seconds_count{method="POST",route="/graphql",status_code="200"} 1',
    ]);
  });

  it('counts a thrown error under its route, and the body as it is read, never buffered', async () => {
    const registry = new Registry();
    const app = instrumentedApp(registry);
    app.get('/boom', () => {
      throw new RangeError('boom');
    });
    app.get('/text', (c) => c.text('x'.repeat(300)));
    expect(await statusOf(app, '/boom')).toBe(500);
    const response = await app.request('/text');
    // Not read yet: not recorded yet, still in flight.
    expect(sampleLines(await scrape(registry), 'http_requests_in_flight')).toEqual([
      'http_requests_in_flight 1',
    ]);
    expect((await response.text()).length).toBe(300);
    const page = await scrape(registry);
    expect(sampleLines(page, 'http_exceptions_total')).toEqual([
      'http_exceptions_total{method="GET",route="/boom",type="RangeError"} 1',
    ]);
    expect(sampleLines(page, 'http_response_size_bytes_sum')).toContain(
      'http_response_size_bytes_sum{method="GET",route="/text"} 300',
    );
    expect(sampleLines(page, 'http_requests_in_flight')).toEqual(['http_requests_in_flight 0']);
  });
});

describe('/metrics', () => {
  it('is served ahead of the routes, with a bearer token, and is not traffic', async () => {
    const registry = new Registry();
    const app = instrumentedApp(registry, { auth: { token: 's3cret' } });
    const denied = await app.request('/metrics');
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    const allowed = await app.request('/metrics', { headers: { authorization: 'Bearer s3cret' } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await counts(registry)).toEqual([]);
  });
});

describe('on @hono/node-server', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  it("records from Node's response: the bytes written and the status sent", async () => {
    const registry = new Registry();
    const app = instrumentedApp(registry);
    app.get('/dogs/:id', (c) => c.json({ id: c.req.param('id') }));
    server = await new Promise<Server>((resolve) => {
      const listening = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(listening as Server),
      );
    });
    const { port } = server.address() as AddressInfo;
    const body = await (await fetch(`http://127.0.0.1:${port}/dogs/1`)).text();
    for (
      let i = 0;
      i < 100 &&
      sampleLines(await scrape(registry), 'http_requests_in_flight')[0] !== 'http_requests_in_flight 0';
      i++
    )
      await new Promise((resolve) => setTimeout(resolve, 5));
    const page = await scrape(registry);
    expect(sampleLines(page, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/dogs/:id",status_code="200"} 1',
    ]);
    expect(sampleLines(page, 'http_response_size_bytes_sum')).toEqual([
      `http_response_size_bytes_sum{method="GET",route="/dogs/:id"} ${body.length}`,
    ]);
  });
});
