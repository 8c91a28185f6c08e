import { metricsMiddleware } from '@promenade/express';
import express from 'express';
import { Registry } from 'prom-client';
import request from 'supertest';
import { expect, it, vi } from 'vitest';
import { ActiveTrace } from '../src/http/active-trace.js';

// prom-client itself requires @opentelemetry/api when it is installed (its CPU metric), so what
// is checked here is that Promenade does not: its one way to the API is ActiveTrace.load.
it('reaches for @opentelemetry/api only when exemplars are turned on', async () => {
  const load = vi.spyOn(ActiveTrace, 'load');
  const app = express();
  app.use(metricsMiddleware({ registry: new Registry(), defaultMetrics: false }));
  app.get('/', (_req, res) => {
    res.send('ok');
  });
  await request(app).get('/').expect(200);
  await request(app).get('/metrics').set('accept', 'application/openmetrics-text; version=1.0.0').expect(200);
  expect(load).not.toHaveBeenCalled();
  metricsMiddleware({ registry: new Registry(), defaultMetrics: false, exemplars: true });
  expect(load).toHaveBeenCalledTimes(1);
});
