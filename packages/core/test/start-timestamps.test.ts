import {
  createMetricFactories,
  createMetricsEndpoint,
  startClusterAggregator,
  startThreadAggregator,
} from '@promenade/core';
import { createHttpInstrumentation } from '@promenade/core/adapter';
import { type DecodedMetric, decodeProtobufPage, scrapeProtobuf } from '@promenade/core/testing';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';

const OPENMETRICS = 'application/openmetrics-text;version=1.0.0';
const PROTOBUF = 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited';

/** An app's registry with one request and one exception recorded, and the time around it. */
function recorded(createdLines?: boolean) {
  const registry = new Registry();
  const { recorder } = createHttpInstrumentation(
    { registry, defaultMetrics: false, ...(createdLines !== undefined && { createdLines }) },
    { packageName: 'test' },
  );
  const before = Date.now();
  recorder.startFrameworkTimedRequest();
  recorder.finishFrameworkTimedRequest('GET', '/dogs/:id', 200, 0.01, 0, 10);
  recorder.recordException('GET', '/dogs/:id', new RangeError('x'));
  const after = Date.now();
  const endpoint = createMetricsEndpoint({
    registry,
    auth: undefined,
    onError: () => {},
    ...(createdLines !== undefined && { createdLines }),
  });
  return { registry, endpoint, before, after };
}

function seconds(timestamp: { seconds?: number; nanos?: number } | undefined): number {
  return (timestamp?.seconds ?? 0) + (timestamp?.nanos ?? 0) / 1e9;
}

describe('start timestamps', () => {
  it('protobuf carries each core counter and histogram series’ start, with no series of its own', async () => {
    const { registry, before, after } = recorded();
    const families = await scrapeProtobuf(registry);
    const duration = families.find((family) => family.name === 'http_request_duration_seconds')!;
    const exceptions = families.find((family) => family.name === 'http_exceptions_total')!;
    for (const start of [
      seconds(duration.metric[0]!.histogram!.createdTimestamp),
      seconds(exceptions.metric[0]!.counter!.createdTimestamp),
    ]) {
      expect(start).toBeGreaterThanOrEqual(Math.floor(before / 1000));
      expect(start).toBeLessThanOrEqual(after / 1000);
    }
    expect(families.map((family) => family.name)).not.toContainEqual(expect.stringMatching(/_created$/));
  });

  it('a reset starts the series again', async () => {
    const { registry, after } = recorded();
    await new Promise((resolve) => setTimeout(resolve, 20));
    registry.resetMetrics();
    const [duration] = (await scrapeProtobuf(registry)).filter(
      (family) => family.name === 'http_request_duration_seconds',
    );
    expect(seconds(duration!.metric[0]!.histogram!.createdTimestamp)).toBeGreaterThan(after / 1000);
  });

  it('OpenMetrics pages have no _created line unless asked', async () => {
    const { endpoint } = recorded();
    const page = (
      await endpoint.respond({ method: 'GET', headers: { accept: OPENMETRICS } })
    ).body.toString();
    expect(page).not.toContain('_created');
  });

  it('with createdLines, OpenMetrics pages carry one after each counter and histogram series', async () => {
    const { endpoint, before, after } = recorded(true);
    const page = (
      await endpoint.respond({ method: 'GET', headers: { accept: OPENMETRICS } })
    ).body.toString();
    const lines = page.split('\n');
    const afterLine = (prefix: string) => lines[lines.findIndex((line) => line.startsWith(prefix)) + 1]!;
    const exceptionsCreated = afterLine('http_exceptions_total{');
    expect(exceptionsCreated).toMatch(
      /^http_exceptions_created\{method="GET",route="\/dogs\/:id",type="RangeError"\} \d+(\.\d+)?$/,
    );
    const durationCreated = afterLine('http_request_duration_seconds_count{');
    expect(durationCreated).toMatch(
      /^http_request_duration_seconds_created\{method="GET",route="\/dogs\/:id",status_code="200"\} \d+(\.\d+)?$/,
    );
    for (const line of [exceptionsCreated, durationCreated]) {
      const value = Number(line.split(' ').at(-1));
      expect(value).toBeGreaterThanOrEqual(Math.floor(before / 1000));
      expect(value).toBeLessThanOrEqual(after / 1000);
    }
    // The text format has no _created samples; protobuf has its own field.
    const text = (await endpoint.respond({ method: 'GET', headers: {} })).body.toString();
    expect(text).not.toContain('_created');
    const protobuf = await endpoint.respond({ method: 'GET', headers: { accept: PROTOBUF } });
    const names = (await decodeProtobufPage(protobuf.body)).map((family) => family.name);
    expect(names.some((name) => name.endsWith('_created'))).toBe(false);
  });

  it('refuses a createdLines that is not a boolean', () => {
    expect(() =>
      createHttpInstrumentation({ createdLines: 'yes' } as never, { packageName: '@promenade/test' }),
    ).toThrow('@promenade/test: option "createdLines" must be a boolean (received "yes")');
  });
});

/** Business metrics of every kind, each with one series, and the time around their making. */
function businessMetrics(registry = new Registry()) {
  const before = Date.now();
  const metrics = createMetricFactories(registry);
  const orders = metrics.counter({ name: 'shop_orders_total', help: 'Orders.', labelNames: ['city'] });
  const baskets = metrics.histogram({ name: 'shop_basket_euros', help: 'Baskets.', buckets: [10, 100] });
  const walks = metrics.histogram({
    name: 'shop_walk_seconds',
    help: 'Walks.',
    labelNames: ['city'],
    nativeHistogram: { classic: false },
  });
  const parcels = metrics.summary({ name: 'shop_parcel_kg', help: 'Parcels.', percentiles: [0.5] });
  const queue = metrics.gauge({ name: 'shop_queue_depth', help: 'Queue.' });
  orders.inc({ city: 'Lyon' });
  baskets.observe(12);
  walks.observe({ city: 'Lyon' }, 3);
  parcels.observe(2);
  queue.set(4);
  return { registry, orders, walks, before, after: Date.now() };
}

/** The start a decoded series carries, in milliseconds; undefined without one. */
function startOf(metric: DecodedMetric | undefined): number | undefined {
  const kept = metric?.counter ?? metric?.histogram ?? metric?.summary;
  return kept?.createdTimestamp && seconds(kept.createdTimestamp) * 1000;
}

async function startsByName(registry: Registry): Promise<Record<string, (number | undefined)[]>> {
  const families = await scrapeProtobuf(registry);
  return Object.fromEntries(families.map((family) => [family.name, family.metric.map(startOf)]));
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('start timestamps of business metrics (prom-client)', () => {
  it('protobuf carries the time the counter, histograms and summary were made; a gauge has none', async () => {
    const { registry, before, after } = businessMetrics();
    const starts = await startsByName(registry);
    for (const name of ['shop_orders_total', 'shop_basket_euros', 'shop_walk_seconds', 'shop_parcel_kg']) {
      expect(starts[name], name).toHaveLength(1);
      expect(starts[name]![0], name).toBeGreaterThanOrEqual(before);
      expect(starts[name]![0], name).toBeLessThanOrEqual(after);
    }
    expect(starts.shop_queue_depth).toEqual([undefined]);
  });

  it('a series first seen after a scrape starts no earlier than that scrape, and keeps its start', async () => {
    const { registry, orders, after } = businessMetrics();
    await tick();
    const firstScrape = Date.now();
    const [lyon] = (await startsByName(registry)).shop_orders_total!;
    await tick();
    orders.inc({ city: 'Nice' });
    const starts = (await startsByName(registry)).shop_orders_total!;
    expect(starts[0]).toBe(lyon);
    expect(lyon).toBeLessThanOrEqual(after);
    expect(starts[1]).toBeGreaterThanOrEqual(firstScrape);
    expect((await startsByName(registry)).shop_orders_total).toEqual(starts);
  });

  it('a removed label set comes back with a later start; reset() starts every series again', async () => {
    const { registry, orders, walks, after } = businessMetrics();
    await tick();
    const scraped = Date.now();
    await startsByName(registry);
    orders.remove({ city: 'Lyon' });
    orders.inc({ city: 'Lyon' });
    expect((await startsByName(registry)).shop_orders_total![0]).toBeGreaterThanOrEqual(scraped);
    await tick();
    const reset = Date.now();
    registry.resetMetrics();
    walks.observe({ city: 'Lyon' }, 1);
    const [walk] = (await startsByName(registry)).shop_walk_seconds!;
    expect(walk).toBeGreaterThanOrEqual(reset);
    expect(after).toBeLessThan(reset);
  });

  it('a registry with default labels carries them too', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ region: 'eu' });
    const { before, after } = businessMetrics(registry);
    const starts = await startsByName(registry);
    expect(starts.shop_orders_total![0]).toBeGreaterThanOrEqual(before);
    expect(starts.shop_walk_seconds![0]).toBeLessThanOrEqual(after);
    expect(starts.shop_parcel_kg![0]).toBeLessThanOrEqual(after);
  });
});

describe('start timestamps on pages made from JSON', () => {
  it('core’s families keep theirs on a registry with default labels', async () => {
    const { registry, before, after } = recorded();
    registry.setDefaultLabels({ region: 'eu' });
    const starts = await startsByName(registry);
    for (const name of ['http_request_duration_seconds', 'http_exceptions_total']) {
      expect(starts[name]![0], name).toBeGreaterThanOrEqual(before);
      expect(starts[name]![0], name).toBeLessThanOrEqual(after);
    }
  });

  it('the cluster primary’s own business and core metrics keep theirs', async () => {
    const { registry: own, before, after } = businessMetrics();
    createHttpInstrumentation(
      { registry: own, defaultMetrics: false },
      { packageName: 'test' },
    ).recorder.recordException('GET', '/dogs/:id', new RangeError('x'));
    const done = Date.now();
    const aggregator = startClusterAggregator({ registry: own });
    try {
      const starts = await startsByName(aggregator);
      for (const name of ['shop_orders_total', 'shop_walk_seconds', 'shop_parcel_kg']) {
        expect(starts[name]![0], name).toBeGreaterThanOrEqual(before);
        expect(starts[name]![0], name).toBeLessThanOrEqual(after);
      }
      expect(starts.http_exceptions_total![0]).toBeGreaterThanOrEqual(before);
      expect(starts.http_exceptions_total![0]).toBeLessThanOrEqual(done);
      expect(starts.shop_queue_depth).toEqual([undefined]);
    } finally {
      aggregator.stop();
    }
  });
});

describe('an aggregator that a reporter above it reads', () => {
  it('puts its own series’ starts on its page, and hands the reporter prom-client’s own counter entries', async () => {
    // A cluster worker's thread aggregator with the app's business metrics registered on it: the
    // worker's reporter knows a prom-client counter's series by its entry, so a copy at each
    // collection would be a new series each time (and the primary would keep every old count).
    const aggregator = startThreadAggregator({ registry: new Registry() });
    try {
      const { before, after } = businessMetrics(aggregator);
      const entry = async () =>
        ((await aggregator.getMetricsAsJSON()) as unknown as { name: string; values: object[] }[]).find(
          (family) => family.name === 'shop_orders_total',
        )!.values[0];
      expect(await entry()).toBe(await entry());
      const [start] = (await startsByName(aggregator)).shop_orders_total!;
      expect(start).toBeGreaterThanOrEqual(before);
      expect(start).toBeLessThanOrEqual(after);
    } finally {
      aggregator.stop();
    }
  });
});
