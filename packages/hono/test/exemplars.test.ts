import { scrape } from '@promenade/core/testing';
import { metricsMiddleware } from '@promenade/hono';
import { Hono } from 'hono';
import { Registry } from 'prom-client';
import { expect, it } from 'vitest';
import {
  EXEMPLAR_BUCKET_LINE,
  inSampledSpan,
  useContextManager,
} from '../../../test/support/sampled-span.js';

useContextManager();

it('a request inside a sampled span leaves its ids on the latency bucket (Fetch API)', async () => {
  const registry = new Registry();
  const app = new Hono();
  app.use((_c, next) => inSampledSpan(next));
  app.use(
    metricsMiddleware({ registry, defaultMetrics: false, exemplars: true, buckets: { duration: [60] } }),
  );
  app.get('/', (c) => c.body(null, 204));
  expect((await app.request('/')).status).toBe(204);
  expect(await scrape(registry, 'openmetrics')).toMatch(EXEMPLAR_BUCKET_LINE);
});
