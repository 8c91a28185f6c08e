import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { histogram, PromenadeError } from '@promenade/core';
import { sampleLines, scrape, scrapeProtobuf } from '@promenade/core/testing';
import { metricsMiddleware } from '@promenade/express';
import { fastifyMetrics } from '@promenade/fastify';
import express from 'express';
import Fastify from 'fastify';
import { Registry } from 'prom-client';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActiveTrace } from '../src/http/active-trace.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';
const EXEMPLAR_LABELS = `trace_id="${TRACE}",span_id="${SPAN}"`;
const DURATION = 'http_request_duration_seconds';

// A span made active around the rest of the request, as an HTTP instrumentation makes it:
// sampled unless the request says `x-sampled: 0`.
function activeSpan(headers: Record<string, unknown>, next: () => void): void {
  const span = trace.wrapSpanContext({
    traceId: TRACE,
    spanId: SPAN,
    traceFlags: headers['x-sampled'] === '0' ? 0 : 1,
  });
  context.with(trace.setSpan(context.active(), span), next);
}

function expressApp(options: Record<string, unknown>) {
  const registry = new Registry();
  const app = express();
  app.use((req, _res, next) => activeSpan(req.headers, next));
  app.use(metricsMiddleware({ registry, defaultMetrics: false, ...options }));
  app.get('/dogs/:id', (_req, res) => {
    res.json({ ok: true });
  });
  return { registry, app };
}

/** The exemplar on a line: its labels, value and time (seconds), or undefined. */
function exemplarOf(line: string | undefined) {
  const match = line?.match(/ # \{(.*)\} (\S+) (\S+)$/);
  return match ? { labels: match[1], value: Number(match[2]), seconds: Number(match[3]) } : undefined;
}

describe('exemplars from the active trace', () => {
  const manager = new AsyncLocalStorageContextManager();

  beforeAll(() => {
    context.setGlobalContextManager(manager.enable());
  });
  afterAll(() => {
    context.disable();
  });

  it('are off by default: no page carries one', async () => {
    const { registry, app } = expressApp({});
    await request(app).get('/dogs/1').expect(200);
    expect(await scrape(registry, 'openmetrics')).not.toContain(' # {');
    const [family] = (await scrapeProtobuf(registry)).filter(({ name }) => name === DURATION);
    expect(family!.metric[0]!.histogram!.bucket.every((bucket) => bucket.exemplar === undefined)).toBe(true);
  });

  it('put the sampled span on the latency bucket the request fell in, in OpenMetrics only', async () => {
    const { registry, app } = expressApp({ exemplars: true, buckets: { duration: [1e-9, 60] } });
    const before = Date.now() / 1000;
    await request(app).get('/dogs/1').expect(200);
    const page = await scrape(registry, 'openmetrics');
    const [tiny, minute, infinity] = sampleLines(page, `${DURATION}_bucket`);
    // The request took more than a nanosecond and less than a minute: the 60 bucket has it.
    expect(exemplarOf(tiny)).toBeUndefined();
    const exemplar = exemplarOf(minute);
    expect(minute).toMatch(
      new RegExp(`^${DURATION}_bucket\\{method="GET",route="/dogs/:id",status_code="200",le="60.0"\\} 1 # `),
    );
    expect(exemplar?.labels).toBe(EXEMPLAR_LABELS);
    expect(exemplar!.value).toBeGreaterThan(1e-9);
    expect(exemplar!.value).toBeLessThan(60);
    expect(exemplar!.seconds).toBeGreaterThanOrEqual(Math.floor(before));
    expect(exemplarOf(infinity)).toBeUndefined();
    // Only the latency: the sizes carry none, and the 0.0.4 text format has no exemplars.
    expect(page.match(/ # \{/g)).toHaveLength(1);
    expect(await scrape(registry, 'text')).not.toContain(' # {');
  });

  it('are the bucket field in protobuf, and the exemplars list of a native histogram', async () => {
    const { registry, app } = expressApp({
      exemplars: true,
      nativeHistograms: true,
      buckets: { duration: [60] },
    });
    await request(app).get('/dogs/1').expect(200);
    const [family] = (await scrapeProtobuf(registry)).filter(({ name }) => name === DURATION);
    const { histogram: series } = family!.metric[0]!;
    const expected = {
      label: [
        { name: 'trace_id', value: TRACE },
        { name: 'span_id', value: SPAN },
      ],
      value: expect.any(Number),
      timestamp: { seconds: expect.any(Number), nanos: expect.any(Number) },
    };
    expect(series!.bucket[0]!.exemplar).toEqual(expected);
    expect(series!.exemplars).toEqual([expected]);
    expect(series!.schema).toBe(3);
  });

  it('keep the newest per bucket: memory is one exemplar a bucket', async () => {
    const { registry, app } = expressApp({ exemplars: true, buckets: { duration: [60] } });
    for (let i = 0; i < 5; i++) await request(app).get('/dogs/1').expect(200);
    const page = await scrape(registry, 'openmetrics');
    const [minute] = sampleLines(page, `${DURATION}_bucket`);
    expect(minute).toMatch(/le="60.0"\} 5 # /);
    expect(page.match(/ # \{/g)).toHaveLength(1);
  });

  it('leave out a span that is not sampled, and a request outside any span', async () => {
    const { registry, app } = expressApp({ exemplars: true });
    await request(app).get('/dogs/1').set('x-sampled', '0').expect(200);
    expect(await scrape(registry, 'openmetrics')).not.toContain(' # {');
  });

  it('come from Fastify requests too', async () => {
    const registry = new Registry();
    const app = Fastify();
    app.addHook('onRequest', (req, _reply, done) => activeSpan(req.headers, done));
    await app.register(fastifyMetrics, { registry, defaultMetrics: false, exemplars: true });
    app.get('/dogs/:id', async () => ({ ok: true }));
    await app.inject('/dogs/1');
    const page = await scrape(registry, 'openmetrics');
    expect(page).toContain(` # {${EXEMPLAR_LABELS}} `);
    await app.close();
  });

  it('are refused as an option that is not a boolean', () => {
    expect(() => metricsMiddleware({ exemplars: 'yes' } as never)).toThrow(
      new PromenadeError(
        'ERR_PROMENADE_INVALID_OPTION',
        '@promenade/express: option "exemplars" must be a boolean (received "yes")',
      ),
    );
  });

  it('read no span when there is none active', () => {
    expect(ActiveTrace.of({ trace }).labels()).toBeUndefined();
  });
});

describe('exemplars on business metrics (prom-client enableExemplars)', () => {
  it('a histogram writes the exemplar on its bucket, in OpenMetrics and protobuf, native or not', async () => {
    for (const nativeHistogram of [false, true]) {
      const registry = new Registry();
      // prom-client types the exemplar's label names as the metric's: `string` lets any through.
      const walks = histogram<string>({
        name: 'walk_seconds',
        help: 'Walks.',
        labelNames: ['city'],
        buckets: [1, 10],
        exemplars: true,
        nativeHistogram,
        registry,
      });
      walks.observe({ labels: { city: 'Lyon' }, value: 4, exemplarLabels: { trace_id: TRACE } });
      const [one, ten] = sampleLines(await scrape(registry, 'openmetrics'), 'walk_seconds_bucket');
      expect(exemplarOf(one)).toBeUndefined();
      expect(exemplarOf(ten)).toMatchObject({ labels: `trace_id="${TRACE}"`, value: 4 });
      const [family] = await scrapeProtobuf(registry);
      const series = family!.metric[0]!.histogram!;
      expect(series.bucket[1]!.exemplar).toMatchObject({
        label: [{ name: 'trace_id', value: TRACE }],
        value: 4,
      });
      expect(series.sampleCount).toBe(1);
      if (nativeHistogram) expect(series.positiveDelta).toEqual([1]);
    }
  });

  it('another exemplars setting under a registered name is a conflict', () => {
    const registry = new Registry();
    histogram({ name: 'walk_seconds', help: 'Walks.', registry });
    expect(() => histogram({ name: 'walk_seconds', help: 'Walks.', exemplars: true, registry })).toThrow(
      new PromenadeError(
        'ERR_PROMENADE_METRIC_CONFLICT',
        '@promenade/core: metric "walk_seconds" is already registered and differs in exemplars (registered: false, requested by option "histogram.exemplars": true)',
      ),
    );
    expect(histogram({ name: 'walk_seconds', help: 'Walks.', registry })).toBeDefined();
  });

  it('a counter writes its newest exemplar on its series', async () => {
    const registry = new Registry();
    const { counter } = await import('@promenade/core');
    const orders = counter({ name: 'orders_total', help: 'Orders.', exemplars: true, registry });
    orders.inc({ value: 2, exemplarLabels: { trace_id: TRACE } });
    expect(sampleLines(await scrape(registry, 'openmetrics'), 'orders_total')[0]).toMatch(
      new RegExp(`^orders_total 2 # \\{trace_id="${TRACE}"\\} 2 \\d+(\\.\\d+)?$`),
    );
    const [family] = await scrapeProtobuf(registry);
    expect(family!.metric[0]!.counter!.exemplar).toMatchObject({ value: 2 });
  });
});
