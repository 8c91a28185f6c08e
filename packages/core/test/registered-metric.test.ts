import { counter, histogram, type PromenadeError } from '@promenade/core';
import { createHttpInstrumentation, SeriesHistogram } from '@promenade/core/adapter';
import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';

function thrown(action: () => unknown): PromenadeError {
  try {
    action();
  } catch (error) {
    return error as PromenadeError;
  }
  throw new Error('expected a throw');
}

describe('define or reuse', () => {
  it('lists every difference of a conflicting definition, registered against requested', () => {
    const registry = new Registry();
    counter({ name: 'walks_total', help: 'Walks.', labelNames: ['city'], registry });
    const error = thrown(() =>
      counter({ name: 'walks_total', help: 'Walks done.', labelNames: ['city', 'walker'], registry }),
    );
    expect(error.code).toBe('ERR_PROMENADE_METRIC_CONFLICT');
    expect(error.message).toBe(
      '@promenade/core: metric "walks_total" is already registered and differs in help (registered: "Walks.", requested: "Walks done."), label set (registered: ["city"], requested: ["city","walker"])',
    );
  });

  it('tells a prom-client histogram from a series histogram of the same name', () => {
    const registry = new Registry();
    histogram({ name: 'walk_seconds', help: 'Walks.', buckets: [1, 2], registry });
    const error = thrown(() =>
      SeriesHistogram.define(
        { name: 'walk_seconds', help: 'Walks.', labelNames: [], buckets: [1, 2], registry },
        { packageName: 'pkg', remedy: 'choose another "prefix"' },
      ),
    );
    expect(error.message).toBe(
      'pkg: metric "walk_seconds" is already registered and differs in type (registered: histogram, requested: series histogram); choose another "prefix"',
    );
  });

  it('returns the series family an earlier definition made', () => {
    const registry = new Registry();
    const definition = {
      name: 'walk_seconds',
      help: 'Walks.',
      labelNames: ['city'],
      buckets: [1, 2],
      registry,
    };
    const first = SeriesHistogram.define(definition, { packageName: 'pkg' });
    expect(SeriesHistogram.define({ ...definition, labelNames: ['city'] }, { packageName: 'pkg' })).toBe(
      first,
    );
  });

  it('registers none of the HTTP families when one of their names is taken', () => {
    const registry = new Registry();
    new Counter({ name: 'http_exceptions_total', help: 'Mine.', registers: [registry] });
    expect(() =>
      createHttpInstrumentation({ registry, defaultMetrics: false }, { packageName: 'x' }),
    ).toThrow(
      'x: metric "http_exceptions_total" is already registered and differs in type (registered: counter, requested: series counter); choose another "prefix"',
    );
    expect(registry.getMetricsAsArray().map((metric) => metric.name)).toEqual(['http_exceptions_total']);
  });

  it('makes again an HTTP family removed from the registry, and reuses the others', async () => {
    const registry = new Registry();
    const first = createHttpInstrumentation({ registry, defaultMetrics: false }, { packageName: 'x' });
    const inFlight = registry.getSingleMetric('http_requests_in_flight');
    registry.removeSingleMetric('http_request_duration_seconds');
    const second = createHttpInstrumentation({ registry, defaultMetrics: false }, { packageName: 'x' });
    expect(registry.getSingleMetric('http_requests_in_flight')).toBe(inFlight);
    first.recorder.startRequest();
    second.recorder.finishRequestStartedAt('GET', '/x', 200, second.recorder.startRequest(), 0, 0);
    const page = await registry.metrics();
    expect(page).toContain('\nhttp_requests_in_flight 1\n');
    expect(page).toContain(
      '\nhttp_request_duration_seconds_count{method="GET",route="/x",status_code="200"} 1\n',
    );
  });
});
