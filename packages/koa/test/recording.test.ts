import { Readable } from 'node:stream';
import Router from '@koa/router';
import type { Registry } from 'prom-client';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { instrumentedApp, type KoaClass, koaVersions, lines, newRegistry } from './harness.js';

function dogWalker(Koa: KoaClass, registry: Registry) {
  const app = instrumentedApp(Koa, registry);
  const api = new Router({ prefix: '/api' });
  api.get('/dogs/:id', (ctx) => {
    ctx.body = { id: ctx.params.id };
  });
  api.get('/fail', (ctx) => ctx.throw(400, 'no walk today'));
  api.get('/throw', () => {
    throw new TypeError('leash snapped');
  });
  api.get('/ledger', (ctx) => {
    // JSON cannot write a BigInt: Koa fails while it writes the response, after every middleware.
    ctx.body = { balance: 10n };
  });
  api.get('/feed', (ctx) => {
    ctx.type = 'text/plain';
    ctx.body = Readable.from(['a'.repeat(1000), 'b'.repeat(1000), 'c'.repeat(1000)]);
  });
  const root = new Router();
  root.post('/dogs', (ctx) => {
    ctx.status = 201;
    ctx.body = 'created';
  });
  root.get(/^\/legacy\/\d+$/, (ctx) => {
    ctx.body = 'old';
  });
  app.use(api.routes());
  app.use(root.routes());
  return app;
}

describe.each(koaVersions)('%s: what gets recorded', (_name, Koa) => {
  it('records a scripted set of requests as exact series, under the routes @koa/router matched', async () => {
    const registry = newRegistry();
    const server = dogWalker(Koa, registry).callback();
    await request(server).get('/api/dogs/7').expect(200, { id: '7' });
    await request(server).get('/api/dogs/8').expect(200);
    await request(server).head('/api/dogs/7').expect(200);
    await request(server).get('/no/such/page').expect(404);
    await request(server).get('/api/throw').expect(500);
    await request(server).get('/api/fail').expect(400);
    await request(server).get('/api/ledger').expect(500);
    await request(server).post('/dogs').set('content-type', 'text/plain').send('rex').expect(201);
    await request(server).propfind('/api/dogs/7').expect(404);
    await request(server).get('/legacy/12').expect(200, 'old');

    expect(await lines(registry, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/^\\\\/legacy\\\\/\\\\d+$/",status_code="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="/api/dogs/:id",status_code="200"} 2',
      'http_request_duration_seconds_count{method="GET",route="/api/fail",status_code="400"} 1',
      'http_request_duration_seconds_count{method="GET",route="/api/ledger",status_code="500"} 1',
      'http_request_duration_seconds_count{method="GET",route="/api/throw",status_code="500"} 1',
      'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="404"} 1',
      'http_request_duration_seconds_count{method="HEAD",route="/api/dogs/:id",status_code="200"} 1',
      'http_request_duration_seconds_count{method="POST",route="/dogs",status_code="201"} 1',
      'http_request_duration_seconds_count{method="_OTHER",route="<unmatched>",status_code="404"} 1',
    ]);
    expect(await lines(registry, 'http_exceptions_total')).toEqual([
      'http_exceptions_total{method="GET",route="/api/fail",type="BadRequestError"} 1',
      'http_exceptions_total{method="GET",route="/api/ledger",type="TypeError"} 1',
      'http_exceptions_total{method="GET",route="/api/throw",type="TypeError"} 1',
    ]);
    expect(await lines(registry, 'http_requests_in_flight')).toEqual(['http_requests_in_flight 0']);
  });

  it('measures request and response bodies, a streamed one as it is written', async () => {
    const registry = newRegistry();
    const server = dogWalker(Koa, registry).callback();
    await request(server).post('/dogs').set('content-type', 'text/plain').send('x'.repeat(300)).expect(201);
    await request(server).get('/api/feed').expect(200);
    await request(server).head('/api/dogs/1').expect(200);
    const sizes = [
      ...(await lines(registry, 'http_request_size_bytes_sum')),
      ...(await lines(registry, 'http_response_size_bytes_sum')),
    ];
    expect(sizes).toEqual([
      'http_request_size_bytes_sum{method="GET",route="/api/feed"} 0',
      'http_request_size_bytes_sum{method="HEAD",route="/api/dogs/:id"} 0',
      'http_request_size_bytes_sum{method="POST",route="/dogs"} 300',
      'http_response_size_bytes_sum{method="GET",route="/api/feed"} 3000',
      'http_response_size_bytes_sum{method="HEAD",route="/api/dogs/:id"} 0',
      'http_response_size_bytes_sum{method="POST",route="/dogs"} 7',
    ]);
  });
});
