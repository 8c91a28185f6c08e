import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMetricFactories } from '@promenade/core';
import { metricsMiddleware } from '@promenade/express';
import express from 'express';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HandBuiltNativeHistogram,
  NINE_OBSERVATIONS,
  NINE_OBSERVATIONS_SUM,
} from '../../packages/core/test/fixtures/hand-built-native-histogram.js';
import { SCRAPER_ACCEPT } from '../../packages/core/test/fixtures/scraper-accept.js';
import {
  type PromQueryable,
  type PromSample,
  startPrometheus,
  startVictoriaMetrics,
} from '../support/stack.js';

const PROTOBUF =
  'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';
// Every family of the app but the native histogram, whose protobuf and text forms differ, and the
// default metrics, which change between two scrapes.
const COMPARED = '{job="app",__name__=~"(http|shop|promenade)_.+"}';

interface Scrape {
  userAgent: string;
  accept: string;
  contentType: string;
}

/** A real Express app with every kind of business metric and a native histogram built by hand. */
async function startApp() {
  const registry = new Registry();
  const scrapes: Scrape[] = [];
  const app = express();
  // Ahead of Promenade's endpoint: notes what each scraper asked for and was given.
  app.use('/metrics', (req, res, next) => {
    res.once('finish', () =>
      scrapes.push({
        userAgent: req.headers['user-agent'] ?? '',
        accept: req.headers.accept ?? '',
        contentType: String(res.getHeader('content-type')),
      }),
    );
    next();
  });
  app.use(metricsMiddleware({ registry }));
  app.get('/api/dogs/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  const metrics = createMetricFactories(registry);
  metrics
    .counter({ name: 'shop_orders_total', help: 'Orders.', labelNames: ['city'] })
    .inc({ city: 'Lyon' }, 3);
  metrics.gauge({ name: 'shop_queue_depth', help: 'Queue depth.' }).set(-4.5);
  const basket = metrics.histogram({
    name: 'shop_basket_euros',
    help: 'Baskets.',
    buckets: [1, 10, 100, 2e6],
  });
  for (const value of [0.5, 12, 12, 99, 3e6]) basket.observe(value);
  const weights = metrics.summary({ name: 'shop_parcel_kg', help: 'Parcels.', percentiles: [0.5, 0.99] });
  for (const value of [1, 2, 3, 4]) weights.observe(value);
  new HandBuiltNativeHistogram(
    'walk_native_seconds',
    'Walks, in native buckets.',
    [{ labels: { city: 'Lyon' }, sum: NINE_OBSERVATIONS_SUM, count: 9, native: NINE_OBSERVATIONS }],
    registry,
  );
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const id of [1, 2, 3]) await fetch(`${base}/api/dogs/${id}`);
  return { server, scrapes, host: new URL(base).host };
}

/** le and quantile by value: Prometheus 2.42 spells 1e6 and above one way from protobuf, another from text. */
function byLabels(samples: PromSample[]): Record<string, number> {
  const entries = samples.map(({ metric, value }) => {
    const { instance: _instance, ...labels } = metric;
    for (const name of ['le', 'quantile']) {
      if (labels[name] !== undefined) labels[name] = String(Number(labels[name]));
    }
    return [JSON.stringify(Object.entries(labels).sort()), value] as const;
  });
  return Object.fromEntries(entries);
}

describe('real Prometheus scrapes a Promenade app over protobuf', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let overProtobuf: PromQueryable;
  let overText: PromQueryable;
  let victoria: PromQueryable;

  beforeAll(async () => {
    app = await startApp();
    const scrapeConfigs = [{ job_name: 'app', static_configs: [{ targets: [app.host] }] }];
    [overProtobuf, overText, victoria] = await Promise.all([
      startPrometheus({ scrapeConfigs, enableFeatures: ['native-histograms'] }),
      startPrometheus({ scrapeConfigs }),
      startVictoriaMetrics({ scrapeConfigs }),
    ]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([overProtobuf?.stop(), overText?.stop(), victoria?.stop()]);
    await new Promise<void>((resolve) => (app ? app.server.close(() => resolve()) : resolve()));
  });

  it('each scraper sends the Accept header it is known by, and gets the format it wants most', () => {
    const seen = new Map(app.scrapes.map((scrape) => [scrape.accept, scrape]));
    expect(seen.get(SCRAPER_ACCEPT.prometheus2_42NativeHistograms)).toMatchObject({
      userAgent: expect.stringMatching(/^Prometheus\/2\.42\./),
      contentType: PROTOBUF,
    });
    expect(seen.get(SCRAPER_ACCEPT.prometheus2_42)).toMatchObject({
      userAgent: expect.stringMatching(/^Prometheus\/2\.42\./),
      contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
    });
    expect(seen.get(SCRAPER_ACCEPT.victoriaMetrics)).toMatchObject({
      userAgent: 'vm_promscrape',
      contentType: 'text/plain; version=0.0.4; charset=utf-8',
    });
    expect(seen.size).toBe(3);
  });

  it('the query API answers the same values whether Prometheus read protobuf or text', async () => {
    const fromProtobuf = byLabels(await overProtobuf.waitForSamples(COMPARED));
    const fromText = byLabels(await overText.waitForSamples(COMPARED));
    expect(fromProtobuf).toEqual(fromText);
    expect(
      fromProtobuf[
        JSON.stringify([
          ['__name__', 'shop_orders_total'],
          ['city', 'Lyon'],
          ['job', 'app'],
        ])
      ],
    ).toBe(3);
    expect(
      fromProtobuf[
        JSON.stringify([
          ['__name__', 'shop_basket_euros_bucket'],
          ['job', 'app'],
          ['le', '2000000'],
        ])
      ],
    ).toBe(4);
    expect(Object.keys(fromProtobuf).length).toBeGreaterThan(50);
  });

  it('Prometheus 2.42 spells an le of a million or more one way from protobuf, another from text', async () => {
    const spelled = async (prometheus: PromQueryable) =>
      (await prometheus.waitForSamples('shop_basket_euros_bucket')).map(({ metric }) => metric.le).sort();
    expect(await spelled(overProtobuf)).toEqual(['+Inf', '1.0', '10.0', '100.0', '2e+06']);
    expect(await spelled(overText)).toEqual(['+Inf', '1.0', '10.0', '100.0', '2000000.0']);
  });

  it('reads the whole page, default metrics included', async () => {
    for (const prometheus of [overProtobuf, overText]) {
      const [up] = await prometheus.query('up{job="app"}');
      expect(up?.value).toBe(1);
      const [gc] = await prometheus.waitForSamples('count({job="app",__name__=~"nodejs_.+|process_.+"})');
      expect(gc!.value).toBeGreaterThan(20);
    }
  });

  it('stores hand-built native buckets as a native histogram, and text scrapes get the classic form', async () => {
    const [count] = await overProtobuf.waitForSamples('histogram_count(walk_native_seconds)');
    expect(count!.value).toBe(9);
    const [sum] = await overProtobuf.query('histogram_sum(walk_native_seconds)');
    expect(sum!.value).toBeCloseTo(NINE_OBSERVATIONS_SUM, 10);
    // Ranks 4.5 and 8.1 of the nine fall in the buckets (1,2] and (8,16].
    const [median] = await overProtobuf.query('histogram_quantile(0.5, walk_native_seconds)');
    expect(median!.value).toBeGreaterThan(1);
    expect(median!.value).toBeLessThanOrEqual(2);
    const [p90] = await overProtobuf.query('histogram_quantile(0.9, walk_native_seconds)');
    expect(p90!.value).toBeGreaterThan(8);
    expect(p90!.value).toBeLessThanOrEqual(16);
    expect(await overProtobuf.query('walk_native_seconds_count')).toEqual([]);
    const classic = await overText.waitForSamples('walk_native_seconds_bucket');
    expect(classic.map(({ metric, value }) => [metric.le, value])).toEqual([['+Inf', 9]]);
  });

  it('VictoriaMetrics keeps reading the text page', async () => {
    const [orders] = await victoria.waitForSamples('shop_orders_total');
    expect(orders!.value).toBe(3);
  });
});
