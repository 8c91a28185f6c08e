import { scrape } from '@promenade/core/testing';
import { metricsMiddleware } from '@promenade/koa';
import Koa from 'koa';
import { Registry } from 'prom-client';
import request from 'supertest';
import { expect, it } from 'vitest';
import {
  EXEMPLAR_BUCKET_LINE,
  inSampledSpan,
  useContextManager,
} from '../../../test/support/sampled-span.js';
import { settled } from './harness.js';

useContextManager();

it('a request inside a sampled span leaves its ids on the latency bucket', async () => {
  const registry = new Registry();
  const app = new Koa();
  app.use((_ctx, next) => inSampledSpan(next));
  app.use(
    metricsMiddleware({ registry, defaultMetrics: false, exemplars: true, buckets: { duration: [60] } }),
  );
  app.use((ctx) => {
    ctx.body = 'ok';
  });
  await request(app.callback()).get('/').expect(200);
  await settled(registry);
  expect(await scrape(registry, 'openmetrics')).toMatch(EXEMPLAR_BUCKET_LINE);
});
