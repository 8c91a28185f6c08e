import { counter, createMetricFactories, gauge, histogram, PromenadeError, summary } from '@promenade/core';
import { metricValue, scrape, snapshotMetrics } from '@promenade/core/testing';
import { Counter, Gauge, register as globalRegistry, Histogram, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';

describe('business metric factories', () => {
  afterEach(() => globalRegistry.removeSingleMetric('promenade_test_global_total'));

  it('return the existing metric when the same one is defined again', () => {
    const registry = new Registry();
    const definition = { name: 'walks_total', help: 'Walks.', labelNames: ['city'], registry } as const;
    const first = counter(definition);
    const second = counter({ ...definition, labelNames: ['city'] });
    expect(second).toBe(first);
    expect(first).toBeInstanceOf(Counter);
  });

  it('register on the global registry by default, beside a user’s own metrics', () => {
    const metric = counter({ name: 'promenade_test_global_total', help: 'Global.' });
    expect(globalRegistry.getSingleMetric('promenade_test_global_total')).toBe(metric);
  });

  it.each([
    [gauge, { help: 'Walks.', labelNames: ['city'] }, 'type (registered: counter, requested: gauge)'],
    [
      counter,
      { help: 'Other help.', labelNames: ['city'] },
      'help (registered: "Walks.", requested: "Other help.")',
    ],
    [
      counter,
      { help: 'Walks.', labelNames: ['city', 'walker'] },
      'label set (registered: ["city"], requested: ["city","walker"])',
    ],
  ] as const)(
    'throw a clear conflict error for another definition of the same name (%#)',
    (define, change, difference) => {
      const registry = new Registry();
      counter({ name: 'walks_total', help: 'Walks.', labelNames: ['city'], registry });
      let caught: unknown;
      try {
        (define as typeof counter)({ name: 'walks_total', registry, ...change });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(PromenadeError);
      expect((caught as PromenadeError).code).toBe('ERR_PROMENADE_METRIC_CONFLICT');
      expect((caught as PromenadeError).message).toBe(
        `@promenade/core: metric "walks_total" is already registered and differs in ${difference}`,
      );
    },
  );

  it('compare histogram buckets', () => {
    const registry = new Registry();
    const first = histogram({ name: 'walk_seconds', help: 'Walk length.', buckets: [60, 600], registry });
    expect(histogram({ name: 'walk_seconds', help: 'Walk length.', buckets: [60, 600], registry })).toBe(
      first,
    );
    expect(() =>
      histogram({ name: 'walk_seconds', help: 'Walk length.', buckets: [60, 1200], registry }),
    ).toThrow(
      '@promenade/core: metric "walk_seconds" is already registered and differs in buckets (registered: [60,600], requested: [60,1200])',
    );
    expect(first).toBeInstanceOf(Histogram);
  });

  it.each([
    [
      { name: 'bad-name', help: 'x' },
      'option "counter.name" must be a valid Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*) (received "bad-name")',
    ],
    [{ name: 'ok_total' }, 'option "counter.help" is required (received undefined)'],
    [
      { name: 'ok_total', help: 'x', labelNames: ['__reserved'] },
      'option "counter.labelNames" must hold valid label names ([a-zA-Z_][a-zA-Z0-9_]*, not starting with "__"); "__reserved" is not (received ["__reserved"])',
    ],
    [
      { name: 'ok_total', help: 'x', lables: ['a'] },
      'option "counter.lables" is not a known option; did you mean "labelNames"? (received ["a"])',
    ],
    ['ok_total', 'option "counter" must be a metric definition object (received "ok_total")'],
  ])('validate definitions: %j', (definition, message) => {
    expect(() => counter(definition as never)).toThrow(`@promenade/core: ${message}`);
  });

  it.each([
    [
      { maxAgeSeconds: -60, ageBuckets: 5 },
      'option "summary.maxAgeSeconds" must be a positive integer (received -60)',
    ],
    [
      { maxAgeSeconds: '600', ageBuckets: 5 },
      'option "summary.maxAgeSeconds" must be a positive integer (received "600")',
    ],
    [
      { maxAgeSeconds: 600, ageBuckets: 0 },
      'option "summary.ageBuckets" must be a positive integer (received 0)',
    ],
    [
      { maxAgeSeconds: 600, ageBuckets: 1.5 },
      'option "summary.ageBuckets" must be a positive integer (received 1.5)',
    ],
    [
      { maxAgeSeconds: 600 },
      'option "summary.ageBuckets" is required when "maxAgeSeconds" is set (received undefined)',
    ],
    [
      { ageBuckets: 5 },
      'option "summary.maxAgeSeconds" is required when "ageBuckets" is set (received undefined)',
    ],
    [{ percentiles: [] }, 'option "summary.percentiles" must be a non-empty array of numbers (received [])'],
    [
      { percentiles: [0.5, '0.9'] },
      'option "summary.percentiles" must hold finite numbers only (index 1) (received [0.5,"0.9"])',
    ],
    [
      { percentiles: [0.9, 0.5] },
      'option "summary.percentiles" must be sorted in strictly increasing order (received [0.9,0.5])',
    ],
    [
      { percentiles: [50, 99] },
      'option "summary.percentiles" must hold quantiles from 0 to 1 only (index 0) (received [50,99])',
    ],
    [
      { percentiles: [-0.5, 0.5] },
      'option "summary.percentiles" must hold quantiles from 0 to 1 only (index 0) (received [-0.5,0.5])',
    ],
    [
      { labelNames: ['city', 'quantile'] },
      'option "summary.labelNames" must not hold "quantile", the label a summary writes itself (received ["city","quantile"])',
    ],
    [
      { maxAgeSecs: 600 },
      'option "summary.maxAgeSecs" is not a known option; did you mean "maxAgeSeconds"? (received 600)',
    ],
  ])('validate summary definitions: %j', (options, message) => {
    const registry = new Registry();
    let caught: unknown;
    try {
      summary({ name: 'walk_km', help: 'Walk distance.', registry, ...(options as object) });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PromenadeError);
    expect((caught as PromenadeError).message).toBe(`@promenade/core: ${message}`);
    expect(registry.getSingleMetric('walk_km')).toBeUndefined();
  });

  it('refuse a histogram label named le', () => {
    expect(() =>
      histogram({ name: 'walk_seconds', help: 'Walk length.', labelNames: ['le'], registry: new Registry() }),
    ).toThrow(
      '@promenade/core: option "histogram.labelNames" must not hold "le", the label a histogram writes itself (received ["le"])',
    );
  });

  it('accept a sliding summary window and quantiles from 0 to 1', async () => {
    const registry = new Registry();
    const metric = summary({
      name: 'walk_km',
      help: 'Walk distance.',
      percentiles: [0, 0.5, 1],
      maxAgeSeconds: 600,
      ageBuckets: 5,
      registry,
    });
    metric.observe(2);
    metric.observe(4);
    expect(await scrape(registry)).toContain(
      'walk_km{quantile="0"} 2\nwalk_km{quantile="0.5"} 3\nwalk_km{quantile="1"} 4',
    );
  });

  it('let gauges compute their value at scrape time', async () => {
    const registry = new Registry();
    let dogsOut = 4;
    const metric = gauge({
      name: 'dogs_out_walking',
      help: 'Dogs out right now.',
      registry,
      collect() {
        this.set(dogsOut);
      },
    });
    expect(metric).toBeInstanceOf(Gauge);
    expect(await metricValue(registry, 'dogs_out_walking')).toBe(4);
    dogsOut = 7;
    expect(await scrape(registry)).toContain('dogs_out_walking 7');
  });

  it('come bound to a registry, summaries included', async () => {
    const registry = new Registry();
    const metrics = createMetricFactories(registry);
    const snapshot = await snapshotMetrics(registry);
    metrics.counter({ name: 'walks_total', help: 'Walks.', labelNames: ['city'] }).inc({ city: 'Lyon' }, 2);
    metrics.summary({ name: 'walk_km', help: 'Walk distance.', percentiles: [0.5] }).observe(3);
    expect(await snapshot.delta('walks_total', { city: 'Lyon' })).toBe(2);
    expect(await snapshot.delta('walk_km_count')).toBe(1);
    expect(metrics.counter({ name: 'walks_total', help: 'Walks.', labelNames: ['city'] })).toBe(
      registry.getSingleMetric('walks_total'),
    );
    expect(summary({ name: 'walk_km', help: 'Walk distance.', percentiles: [0.5], registry })).toBe(
      registry.getSingleMetric('walk_km'),
    );
  });
});
