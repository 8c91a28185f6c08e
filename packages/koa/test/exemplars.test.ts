import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { scrape } from '@promenade/core/testing';
import { metricsMiddleware } from '@promenade/koa';
import Koa from 'koa';
import { Registry } from 'prom-client';
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { settled } from './harness.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
afterAll(() => {
  context.disable();
});

it('a request inside a sampled span leaves its ids on the latency bucket', async () => {
  const registry = new Registry();
  const app = new Koa();
  // What an HTTP instrumentation does: the request's span is active around everything after it.
  app.use((_ctx, next) => {
    const span = trace.wrapSpanContext({ traceId: TRACE, spanId: SPAN, traceFlags: 1 });
    return context.with(trace.setSpan(context.active(), span), next);
  });
  app.use(
    metricsMiddleware({ registry, defaultMetrics: false, exemplars: true, buckets: { duration: [60] } }),
  );
  app.use((ctx) => {
    ctx.body = 'ok';
  });
  await request(app.callback()).get('/').expect(200);
  await settled(registry);
  expect(await scrape(registry, 'openmetrics')).toMatch(
    new RegExp(`le="60.0"\\} 1 # \\{trace_id="${TRACE}",span_id="${SPAN}"\\} \\S+ \\S+\\n`),
  );
});
