import { PromenadeError } from '@promenade/core';
import { metricsMiddleware } from '@promenade/express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { expressVersions, newRegistry } from './harness.js';

describe.each(expressVersions)('%s: business metrics through the middleware', (_name, express) => {
  it('defines metrics on the middleware registry, the same metric for the same definition', async () => {
    const registry = newRegistry();
    const metrics = metricsMiddleware({ registry, defaultMetrics: false });
    const walks = metrics.metrics.counter({
      name: 'dogwalker_walks_total',
      help: 'Walks completed.',
      labelNames: ['city'],
    });
    const again = metrics.metrics.counter({
      name: 'dogwalker_walks_total',
      help: 'Walks completed.',
      labelNames: ['city'],
    });
    expect(again).toBe(walks);
    expect(metrics.metrics.registry).toBe(registry);
    const app = express();
    app.use(metrics);
    app.post('/walks', (_req, res) => {
      walks.inc({ city: 'Lyon' });
      res.status(201).end();
    });
    await request(app).post('/walks').expect(201);
    const page = (await request(app).get('/metrics').expect(200)).text;
    expect(page).toContain('dogwalker_walks_total{city="Lyon"} 1\n');
  });

  it('refuses a second definition of the same name that differs', () => {
    const { metrics } = metricsMiddleware({ registry: newRegistry(), defaultMetrics: false });
    metrics.histogram({ name: 'dogwalker_walk_seconds', help: 'Walk length.', buckets: [600, 1800] });
    let error: unknown;
    try {
      metrics.histogram({ name: 'dogwalker_walk_seconds', help: 'Walk length.', buckets: [600, 3600] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PromenadeError);
    expect((error as PromenadeError).code).toBe('ERR_PROMENADE_METRIC_CONFLICT');
    expect((error as PromenadeError).message).toBe(
      '@promenade/core: metric "dogwalker_walk_seconds" is already registered and differs in buckets (registered: [600,1800], requested: [600,3600])',
    );
    expect(() => metrics.gauge({ name: 'dogwalker_walk_seconds', help: 'Walk length.' })).toThrow(
      '@promenade/core: metric "dogwalker_walk_seconds" is already registered and differs in type (registered: histogram, requested: gauge)',
    );
  });
});
