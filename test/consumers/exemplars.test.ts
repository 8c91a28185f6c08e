import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { createMetricFactories } from '@promenade/core';
import { metricsMiddleware } from '@promenade/express';
import express from 'express';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PromQueryable, startPrometheus } from '../support/stack.js';

const ROUTES = ['/walks/a', '/walks/b', '/walks/c'];
const TRACE_IDS = ROUTES.map((_route, index) => `${'0'.repeat(31)}${index + 1}`);
const SPAN_ID = '00f067aa0ba902b7';
// Schema 3: a bucket spans a factor 2^(1/8), so a quantile lands within it of the true one.
const SCHEMA_3_FACTOR = 2 ** (1 / 8);
// Known values: 2,000 walk lengths from 0.05 to about 20 km, spread geometrically.
const WALKS = Array.from({ length: 2000 }, (_value, index) => 0.05 * 1.003 ** index);

function trueQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(q * sorted.length) - 1]!;
}

/** An Express app whose requests run inside a sampled span named by their `x-trace-id`. */
async function startApp(nativeHistograms: boolean | { classic: false }) {
  const registry = new Registry();
  const app = express();
  app.use((req, _res, next) => {
    const traceId = req.headers['x-trace-id'];
    if (typeof traceId !== 'string') return next();
    const span = trace.wrapSpanContext({ traceId, spanId: SPAN_ID, traceFlags: 1 });
    context.with(trace.setSpan(context.active(), span), next);
  });
  app.use(metricsMiddleware({ registry, nativeHistograms, exemplars: true, defaultMetrics: false }));
  for (const route of ROUTES) app.get(route, (_req, res) => void res.send('ok'));
  const walks = createMetricFactories(registry).histogram<string>({
    name: 'walk_km',
    help: 'Walk lengths.',
    nativeHistogram: true,
    exemplars: true,
  });
  for (const [index, value] of WALKS.entries()) {
    walks.observe({ value, exemplarLabels: index === 0 ? { trace_id: TRACE_IDS[0]! } : {} });
  }
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const [index, route] of ROUTES.entries()) {
    await fetch(`${base}${route}`, { headers: { 'x-trace-id': TRACE_IDS[index]! } });
  }
  return { server, host: new URL(base).host };
}

interface ExemplarAnswer {
  seriesLabels: Record<string, string>;
  exemplars: { labels: Record<string, string>; value: string }[];
}

async function queryExemplars(prometheus: PromQueryable, query: string): Promise<ExemplarAnswer[]> {
  const now = Date.now() / 1000;
  const params = new URLSearchParams({ query, start: String(now - 600), end: String(now + 60) });
  const deadline = Date.now() + 15_000;
  for (;;) {
    const answer = (await (await fetch(`${prometheus.url}/api/v1/query_exemplars?${params}`)).json()) as {
      data: ExemplarAnswer[];
    };
    if (answer.data.length > 0 || Date.now() > deadline) return answer.data;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('real Prometheus stores native histograms and the exemplars of traced requests', () => {
  const manager = new AsyncLocalStorageContextManager();
  let both: Awaited<ReturnType<typeof startApp>>;
  let nativeOnly: Awaited<ReturnType<typeof startApp>>;
  let modern: PromQueryable;
  let plain: PromQueryable;

  beforeAll(async () => {
    context.setGlobalContextManager(manager.enable());
    [both, nativeOnly] = await Promise.all([startApp(true), startApp({ classic: false })]);
    const job = (name: string, host: string) => ({ job_name: name, static_configs: [{ targets: [host] }] });
    [modern, plain] = await Promise.all([
      startPrometheus({
        scrapeConfigs: [job('both', both.host), job('native', nativeOnly.host)],
        enableFeatures: ['native-histograms', 'exemplar-storage'],
      }),
      startPrometheus({ scrapeConfigs: [job('both', both.host)] }),
    ]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([modern?.stop(), plain?.stop()]);
    for (const app of [both, nativeOnly]) {
      await new Promise<void>((resolve) => (app ? app.server.close(() => resolve()) : resolve()));
    }
    context.disable();
  });

  it('histogram_quantile over the native series is within a bucket of the true quantiles', async () => {
    await modern.waitForSamples('histogram_count(walk_km{job="both"})');
    for (const q of [0.5, 0.9, 0.99]) {
      const [answer] = await modern.query(`histogram_quantile(${q}, walk_km{job="both"})`);
      const expected = trueQuantile(WALKS, q);
      expect(answer!.value).toBeGreaterThan(expected / SCHEMA_3_FACTOR);
      expect(answer!.value).toBeLessThan(expected * SCHEMA_3_FACTOR);
    }
  });

  it('query_exemplars returns the trace ids of the traced requests, on the latency', async () => {
    // Stored on the native series, which has no _bucket suffix.
    const answers = await queryExemplars(modern, 'http_request_duration_seconds{job="both"}');
    const byRoute = Object.fromEntries(
      answers.map(({ seriesLabels, exemplars }) => [
        seriesLabels.route,
        exemplars.map((e) => e.labels.trace_id),
      ]),
    );
    expect(byRoute).toEqual(Object.fromEntries(ROUTES.map((route, index) => [route, [TRACE_IDS[index]]])));
    const walk = await queryExemplars(modern, 'walk_km{job="both"}');
    expect(walk.flatMap(({ exemplars }) => exemplars.map((e) => e.labels.trace_id))).toEqual([TRACE_IDS[0]]);
  });

  it('a route costs a quarter of the classic series or fewer with native histograms', async () => {
    const seriesOf = async (prometheus: PromQueryable, job: string) =>
      (await prometheus.waitForSamples(`count({job="${job}",route="/walks/a"})`))[0]!.value;
    // The classic page: latency with its buckets, request and response sizes with theirs.
    expect(await seriesOf(plain, 'both')).toBe(41);
    // Prometheus 2.42 reading native histograms keeps only them, classic buckets sent or not.
    expect(await seriesOf(modern, 'both')).toBe(3);
    expect(await seriesOf(modern, 'native')).toBe(3);
  });

  it('a Prometheus without the feature flag still reads the classic buckets', async () => {
    const buckets = await plain.waitForSamples('http_request_duration_seconds_bucket{route="/walks/a"}');
    expect(buckets.length).toBe(15);
    expect(await plain.query('histogram_count(walk_km)')).toEqual([]);
    const [p90] = await plain.query('histogram_quantile(0.9, sum by (le) (walk_km_bucket))');
    expect(p90!.value).toBeGreaterThan(0);
  });
});
