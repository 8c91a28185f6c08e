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
        `@promenade/core: metric "walks_total" is already registered with a different ${difference}`,
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
      '@promenade/core: metric "walk_seconds" is already registered with a different buckets (registered: [60,600], requested: [60,1200])',
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
