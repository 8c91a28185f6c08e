import { metricValue } from '@promenade/core/testing';
import { metricsMiddleware } from '@promenade/express';
import express5 from 'express';
import type { Registry } from 'prom-client';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import {
  close,
  type ExpressFactory,
  expressVersions,
  getAll,
  instrumentedApp,
  lines,
  listen,
  newRegistry,
  settled,
} from './harness.js';

function dogWalker(express: ExpressFactory, registry: Registry) {
  const app = instrumentedApp(express, registry);
  const api = express.Router();
  api.get('/dogs/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  api.get('/fail', (_req, _res, next) => next(new RangeError('no walk today')));
  app.use('/api', api);
  app.get('/throw', () => {
    throw new TypeError('leash snapped');
  });
  app.post('/dogs', (_req, res) => {
    res.status(201).send('created');
  });
  return app;
}

describe.each(expressVersions)('%s: what gets recorded', (_name, express) => {
  it('records a scripted set of requests as exact series', async () => {
    const registry = newRegistry();
    const app = dogWalker(express, registry);
    await request(app).get('/api/dogs/7').expect(200, { id: '7' });
    await request(app).get('/api/dogs/8').expect(200);
    await request(app).head('/api/dogs/7').expect(200);
    await request(app).get('/no/such/page').expect(404);
    await request(app).get('/throw').expect(500);
    await request(app).get('/api/fail').expect(500);
    await request(app).post('/dogs').set('content-type', 'text/plain').send('rex').expect(201);
    await request(app).propfind('/api/dogs/7').expect(404);

    expect(await lines(registry, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/api/dogs/:id",status_code="200"} 2',
      'http_request_duration_seconds_count{method="GET",route="/api/fail",status_code="500"} 1',
      'http_request_duration_seconds_count{method="GET",route="/throw",status_code="500"} 1',
      'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="404"} 1',
      'http_request_duration_seconds_count{method="HEAD",route="/api/dogs/:id",status_code="200"} 1',
      'http_request_duration_seconds_count{method="POST",route="/dogs",status_code="201"} 1',
      'http_request_duration_seconds_count{method="_OTHER",route="<unmatched>",status_code="404"} 1',
    ]);
    expect(await lines(registry, 'http_exceptions_total')).toEqual([
      'http_exceptions_total{method="GET",route="/api/fail",type="RangeError"} 1',
      'http_exceptions_total{method="GET",route="/throw",type="TypeError"} 1',
    ]);
    // {"id":"7"} and {"id":"8"} are 10 bytes each; HEAD sends no body.
    expect(await lines(registry, 'http_response_size_bytes_sum')).toContain(
      'http_response_size_bytes_sum{method="GET",route="/api/dogs/:id"} 20',
    );
    expect(await lines(registry, 'http_response_size_bytes_sum')).toContain(
      'http_response_size_bytes_sum{method="HEAD",route="/api/dogs/:id"} 0',
    );
    expect(await lines(registry, 'http_response_size_bytes_sum')).toContain(
      'http_response_size_bytes_sum{method="POST",route="/dogs"} 7',
    );
    expect(await lines(registry, 'http_request_size_bytes_sum')).toContain(
      'http_request_size_bytes_sum{method="POST",route="/dogs"} 3',
    );
    expect(await lines(registry, 'http_requests_in_flight')).toEqual(['http_requests_in_flight 0']);
  });

  it('counts a request in flight while its handler runs', async () => {
    const registry = newRegistry();
    const app = instrumentedApp(express, registry);
    let inFlight: number | undefined;
    app.get('/slow', async (_req, res) => {
      inFlight = await metricValue(registry, 'http_requests_in_flight');
      res.send('done');
    });
    await request(app).get('/slow').expect(200);
    await settled(registry);
    expect(inFlight).toBe(1);
  });

  it('records a request once when a parent app and a sub-app both have the middleware', async () => {
    const registry = newRegistry();
    const app = instrumentedApp(express, registry);
    const admin = express();
    admin.use(metricsMiddleware({ registry, defaultMetrics: false, metricsPath: false }));
    admin.get('/users/:id', (_req, res) => {
      res.send('ok');
    });
    app.use('/admin', admin);
    await request(app).get('/admin/users/1').expect(200);
    expect(await lines(registry, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/admin/users/:id",status_code="200"} 1',
    ]);
  });
});

it("records the requests of a bare router served without an app: no route, sizes from Node's response hooks", async () => {
  const registry = newRegistry();
  const router = express5.Router();
  router.use(metricsMiddleware({ registry, defaultMetrics: false }));
  router.get('/dogs/:id', (_req, res) => {
    res.end('woof');
  });
  const { server } = await listen((req, res) => {
    router(req as never, res as never, () => {
      res.statusCode = 404;
      res.end();
    });
  });
  expect(await getAll(server, ['/dogs/1', '/cats/1'])).toBe(2);
  expect(await lines(registry, 'http_request_duration_seconds_count')).toEqual([
    'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="200"} 1',
    'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="404"} 1',
  ]);
  expect(await lines(registry, 'http_response_size_bytes_count')).toEqual([
    'http_response_size_bytes_count{method="GET",route="<unmatched>"} 2',
  ]);
  await close(server);
});
