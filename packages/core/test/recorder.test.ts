import { createHttpInstrumentation } from '@promenade/core/adapter';
import { metricValue, sampleLines, scrape } from '@promenade/core/testing';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CLIENT_CLOSED_REQUEST, UNMATCHED_ROUTE } from '../src/http/labels.js';

function setup(options: Record<string, unknown> = {}) {
  const registry = new Registry();
  const instrumentation = createHttpInstrumentation(
    { registry, defaultMetrics: false, ...options },
    { packageName: '@promenade/core' },
  );
  return { registry, recorder: instrumentation.recorder };
}

describe('HttpRecorder', () => {
  it('records a request as exact exposition lines', async () => {
    const { registry, recorder } = setup({
      buckets: { duration: [0.5, 1], requestSize: [100], responseSize: [100] },
    });
    recorder.finishRequestStartedAt('GET', '/dogs/:id', 200, recorder.startRequest(), 0, 150);
    const text = await scrape(registry);
    expect(sampleLines(text, 'http_request_duration_seconds_bucket')).toEqual([
      'http_request_duration_seconds_bucket{method="GET",route="/dogs/:id",status_code="200",le="0.5"} 1',
      'http_request_duration_seconds_bucket{method="GET",route="/dogs/:id",status_code="200",le="1"} 1',
      'http_request_duration_seconds_bucket{method="GET",route="/dogs/:id",status_code="200",le="+Inf"} 1',
    ]);
    expect(sampleLines(text, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/dogs/:id",status_code="200"} 1',
    ]);
    expect(sampleLines(text, 'http_request_size_bytes_bucket')).toEqual([
      'http_request_size_bytes_bucket{method="GET",route="/dogs/:id",le="100"} 1',
      'http_request_size_bytes_bucket{method="GET",route="/dogs/:id",le="+Inf"} 1',
    ]);
    expect(sampleLines(text, 'http_response_size_bytes_bucket')).toEqual([
      'http_response_size_bytes_bucket{method="GET",route="/dogs/:id",le="100"} 0',
      'http_response_size_bytes_bucket{method="GET",route="/dogs/:id",le="+Inf"} 1',
    ]);
    expect(sampleLines(text, 'http_response_size_bytes_sum')).toEqual([
      'http_response_size_bytes_sum{method="GET",route="/dogs/:id"} 150',
    ]);
  });

  it('normalizes methods and statuses to bounded sets', async () => {
    const { registry, recorder } = setup();
    recorder.finishRequestStartedAt('PROPFIND', UNMATCHED_ROUTE, 404, recorder.startRequest(), 0, 0);
    recorder.finishRequestStartedAt('get', UNMATCHED_ROUTE, 404, recorder.startRequest(), 0, 0);
    recorder.finishRequestStartedAt('GET', '/a', 1000, recorder.startRequest(), 0, 0);
    recorder.finishRequestStartedAt('GET', '/a', Number.NaN, recorder.startRequest(), 0, 0);
    recorder.finishRequestStartedAt('GET', '/a', CLIENT_CLOSED_REQUEST, recorder.startRequest(), 0, 0);
    const text = await scrape(registry);
    expect(sampleLines(text, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="_OTHER",route="<unmatched>",status_code="404"} 2',
      'http_request_duration_seconds_count{method="GET",route="/a",status_code="other"} 2',
      'http_request_duration_seconds_count{method="GET",route="/a",status_code="499"} 1',
    ]);
  });

  it('skips unknown sizes and records no body for HEAD, 204 and 304', async () => {
    const { registry, recorder } = setup({ buckets: { requestSize: [10], responseSize: [10] } });
    recorder.finishRequestStartedAt('POST', '/upload', 201, recorder.startRequest(), Number.NaN, 5);
    recorder.finishRequestStartedAt('HEAD', '/page', 200, recorder.startRequest(), 0, 5000);
    recorder.finishRequestStartedAt('GET', '/page', 304, recorder.startRequest(), 0, 5000);
    recorder.finishRequestStartedAt('DELETE', '/page', 204, recorder.startRequest(), 0, 5000);
    expect(await metricValue(registry, 'http_request_size_bytes_count', { route: '/upload' })).toBe(0);
    expect(await metricValue(registry, 'http_response_size_bytes_sum', { route: '/page' })).toBe(0);
    expect(await metricValue(registry, 'http_response_size_bytes_count', { route: '/page' })).toBe(3);
  });

  it('tracks requests in flight', async () => {
    const { registry, recorder } = setup();
    const first = recorder.startRequest();
    const second = recorder.startRequest();
    expect(await metricValue(registry, 'http_requests_in_flight')).toBe(2);
    recorder.finishRequestStartedAt('GET', '/a', 200, first, 0, 0);
    expect(await metricValue(registry, 'http_requests_in_flight')).toBe(1);
    recorder.finishRequestStartedAt('GET', '/a', 200, second, 0, 0);
    expect(await metricValue(registry, 'http_requests_in_flight')).toBe(0);
  });

  it('counts exceptions by type', async () => {
    const { registry, recorder } = setup();
    class DogNotFound extends Error {
      override name = 'DogNotFound';
    }
    recorder.recordException('GET', '/dogs/:id', new DogNotFound());
    recorder.recordException('GET', '/dogs/:id', new TypeError('x'));
    recorder.recordException('GET', '/dogs/:id', 'a thrown string');
    recorder.recordException('GET', '/dogs/:id', null);
    expect(sampleLines(await scrape(registry), 'http_exceptions_total')).toEqual([
      'http_exceptions_total{method="GET",route="/dogs/:id",type="DogNotFound"} 1',
      'http_exceptions_total{method="GET",route="/dogs/:id",type="TypeError"} 1',
      'http_exceptions_total{method="GET",route="/dogs/:id",type="string"} 1',
      'http_exceptions_total{method="GET",route="/dogs/:id",type="null"} 1',
    ]);
  });

  it('folds label sets past the cap into route="<overflow>" and counts what it folded', async () => {
    const { registry, recorder } = setup({ maxLabelSets: 3 });
    for (let i = 0; i < 10; i++)
      recorder.finishRequestStartedAt('GET', `/route/${i}`, 200, recorder.startRequest(), 0, 0);
    const text = await scrape(registry);
    expect(sampleLines(text, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/route/0",status_code="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="/route/1",status_code="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="/route/2",status_code="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="<overflow>",status_code="200"} 7',
    ]);
    expect(sampleLines(text, 'promenade_label_sets_folded_total')).toEqual([
      'promenade_label_sets_folded_total{metric="http_request_duration_seconds"} 7',
      'promenade_label_sets_folded_total{metric="http_request_size_bytes"} 7',
      'promenade_label_sets_folded_total{metric="http_response_size_bytes"} 7',
      'promenade_label_sets_folded_total{metric="http_exceptions_total"} 0',
    ]);
  });

  it('keeps the number of series bounded under hostile routes, statuses and methods', async () => {
    const { registry, recorder } = setup({ maxLabelSets: 50 });
    for (let i = 0; i < 10_000; i++) {
      recorder.finishRequestStartedAt(`M${i % 7}`, `/r/${i}`, 100 + (i % 900), recorder.startRequest(), i, i);
      recorder.recordException('GET', `/r/${i}`, new Error());
    }
    const text = await scrape(registry);
    const countSeries = sampleLines(text, 'http_request_duration_seconds_count').length;
    // 50 capped label sets, plus folded ones bounded by the HTTP status range (100-599 and "other").
    expect(countSeries).toBeLessThanOrEqual(50 + 501);
    // 50 label sets, then one folded set: every method here is outside HTTP's (_OTHER).
    expect(sampleLines(text, 'http_request_size_bytes_count').length).toBe(51);
    expect(sampleLines(text, 'http_exceptions_total').length).toBe(51);
    // Bounded, and nothing lost: every observation is in some series.
    expect(await metricValue(registry, 'http_request_duration_seconds_count')).toBe(10_000);
    expect(await metricValue(registry, 'http_request_size_bytes_count')).toBe(10_000);
    expect(await metricValue(registry, 'http_exceptions_total')).toBe(10_000);
    // Every exception past the first 50 label sets landed in the folded series, and says so.
    expect(
      await metricValue(registry, 'promenade_label_sets_folded_total', { metric: 'http_exceptions_total' }),
    ).toBe(9_950);
  });

  it('shares the schema between instrumentations on one registry', async () => {
    const registry = new Registry();
    const first = createHttpInstrumentation({ registry, defaultMetrics: false }, { packageName: 'a' });
    const second = createHttpInstrumentation({ registry, defaultMetrics: false }, { packageName: 'b' });
    first.recorder.finishRequestStartedAt('GET', '/x', 200, first.recorder.startRequest(), 0, 0);
    second.recorder.finishRequestStartedAt('GET', '/x', 200, second.recorder.startRequest(), 0, 0);
    expect(await metricValue(registry, 'http_request_duration_seconds_count', { route: '/x' })).toBe(2);
  });

  it('applies the prefix to every HTTP family', async () => {
    const { registry, recorder } = setup({ prefix: 'dogwalker_' });
    recorder.finishRequestStartedAt('GET', '/x', 200, recorder.startRequest(), 0, 0);
    const names = (await registry.getMetricsAsJSON()).map((family) => family.name);
    expect(names.sort()).toEqual([
      'dogwalker_http_exceptions_total',
      'dogwalker_http_request_duration_seconds',
      'dogwalker_http_request_size_bytes',
      'dogwalker_http_requests_in_flight',
      'dogwalker_http_response_size_bytes',
      'dogwalker_promenade_label_sets_folded_total',
    ]);
  });

  it('keeps series across registry.resetMetrics(), zeroed', async () => {
    const { registry, recorder } = setup();
    recorder.finishRequestStartedAt('GET', '/x', 200, recorder.startRequest(), 0, 0);
    registry.resetMetrics();
    expect(await metricValue(registry, 'http_request_duration_seconds_count', { route: '/x' })).toBe(0);
    recorder.finishRequestStartedAt('GET', '/x', 200, recorder.startRequest(), 0, 0);
    expect(await metricValue(registry, 'http_request_duration_seconds_count', { route: '/x' })).toBe(1);
  });

  it('collects default process metrics once per registry unless turned off', async () => {
    const registry = new Registry();
    createHttpInstrumentation({ registry }, { packageName: 'a' });
    createHttpInstrumentation({ registry }, { packageName: 'b' });
    expect(registry.getSingleMetric('process_cpu_user_seconds_total')).toBeDefined();
    const off = new Registry();
    createHttpInstrumentation({ registry: off, defaultMetrics: false }, { packageName: 'a' });
    expect(off.getSingleMetric('process_cpu_user_seconds_total')).toBeUndefined();
  });

  it('refuses names another library already registered', () => {
    const registry = new Registry();
    registry.registerMetric({ name: 'http_request_duration_seconds', get: async () => ({}) } as never);
    expect(() =>
      createHttpInstrumentation({ registry, defaultMetrics: false }, { packageName: 'x' }),
    ).toThrow(
      'x: metric "http_request_duration_seconds" is already registered and differs in type (registered: unknown kind (Object), requested: series histogram); choose another "prefix"',
    );
  });
});
