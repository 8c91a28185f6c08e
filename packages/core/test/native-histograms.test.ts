import { histogram, PromenadeError } from '@promenade/core';
import { createHttpInstrumentation } from '@promenade/core/adapter';
import { sampleLines, scrape } from '@promenade/core/testing';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { collectFamilies } from '../src/exposition/collect-families.js';
import type { ExposedHistogram, NativeBuckets } from '../src/exposition/exposed-family.js';
import { resolveHttpOptions } from '../src/options/http-options.js';

const PKG = '@promenade/core';

function setup(options: Record<string, unknown> = {}, registry = new Registry()) {
  const instrumentation = createHttpInstrumentation(
    { registry, defaultMetrics: false, ...options },
    { packageName: PKG },
  );
  return { registry, recorder: instrumentation.recorder };
}

async function exposedHistogram(registry: Registry, name: string): Promise<ExposedHistogram> {
  const family = (await collectFamilies(registry)).find(
    (candidate) => candidate.kind === 'histogram' && candidate.name === name,
  );
  if (family?.kind !== 'histogram') throw new Error(`no histogram ${name}`);
  return family;
}

function onlySeries(family: ExposedHistogram) {
  const all = [...family.series];
  expect(all).toHaveLength(1);
  return all[0]!;
}

function record(recorder: ReturnType<typeof setup>['recorder'], requestBytes: number, responseBytes: number) {
  recorder.finishRequestStartedAt(
    'GET',
    '/dogs/:id',
    200,
    recorder.startRequest(),
    requestBytes,
    responseBytes,
  );
}

describe('native histograms on the HTTP histograms', () => {
  it('are off unless asked for: no native buckets, classic buckets as today', async () => {
    const { registry, recorder } = setup();
    record(recorder, 10, 150);
    const series = onlySeries(await exposedHistogram(registry, 'http_response_size_bytes'));
    expect(series.native).toBeUndefined();
    expect(resolveHttpOptions({}, PKG, {}, {}).nativeHistograms).toBeUndefined();
  });

  it('turned off leave both text pages byte for byte as they are without the option', async () => {
    const without = setup();
    const off = setup({ nativeHistograms: false });
    for (const { recorder } of [without, off]) record(recorder, 10, 150);
    // The one number that differs is the measured duration.
    const page = async (registry: Registry, format: 'text' | 'openmetrics') =>
      (await scrape(registry, format)).replace(/(_seconds_sum\{[^}]*\}) \S+/g, '$1 <duration>');
    for (const format of ['text', 'openmetrics'] as const) {
      expect(await page(off.registry, format)).toBe(await page(without.registry, format));
    }
  });

  it('keep the classic buckets beside the native ones by default, and the text page as it was', async () => {
    const buckets = { duration: [0.5, 1], requestSize: [100], responseSize: [100] };
    const classic = setup({ buckets });
    const both = setup({ buckets, nativeHistograms: true });
    record(classic.recorder, 10, 150);
    record(both.recorder, 10, 150);
    const [classicPage, bothPage] = [await scrape(classic.registry), await scrape(both.registry)];
    expect(sampleLines(bothPage, 'http_response_size_bytes_bucket')).toEqual(
      sampleLines(classicPage, 'http_response_size_bytes_bucket'),
    );
    expect(sampleLines(bothPage, 'http_response_size_bytes_bucket')).toEqual([
      'http_response_size_bytes_bucket{method="GET",route="/dogs/:id",le="100"} 0',
      'http_response_size_bytes_bucket{method="GET",route="/dogs/:id",le="+Inf"} 1',
    ]);
    const series = onlySeries(await exposedHistogram(both.registry, 'http_response_size_bytes'));
    // 150 at schema 3: 2^(57/8) = 140.0 < 150 <= 2^(58/8) = 152.2, index 58.
    expect(series.native).toEqual<NativeBuckets>({
      schema: 3,
      zeroThreshold: 2 ** -128,
      zeroCount: 0,
      positiveSpans: [{ offset: 58, length: 1 }],
      positiveDeltas: [1],
      negativeSpans: [],
      negativeDeltas: [],
    });
  });

  it('native only: one bucket line (+Inf), the sum and the count on the text pages', async () => {
    const { registry, recorder } = setup({ nativeHistograms: { classic: false, schema: 0 } });
    record(recorder, 0, 150);
    record(recorder, 0, 3000);
    const text = await scrape(registry);
    expect(text).toContain(
      [
        '# HELP http_response_size_bytes Size of HTTP response bodies in bytes.',
        '# TYPE http_response_size_bytes histogram',
        'http_response_size_bytes_bucket{method="GET",route="/dogs/:id",le="+Inf"} 2',
        'http_response_size_bytes_sum{method="GET",route="/dogs/:id"} 3150',
        'http_response_size_bytes_count{method="GET",route="/dogs/:id"} 2',
      ].join('\n'),
    );
    const openMetrics = await scrape(registry, 'openmetrics');
    expect(sampleLines(openMetrics, 'http_response_size_bytes_bucket')).toEqual([
      'http_response_size_bytes_bucket{method="GET",route="/dogs/:id",le="+Inf"} 2',
    ]);
    const family = await exposedHistogram(registry, 'http_response_size_bytes');
    expect(family.upperBounds).toEqual([]);
    const series = onlySeries(family);
    expect(Array.from(series.counts)).toEqual([2]);
    // 150 in (128, 256], index 8; 3000 in (2048, 4096], index 12; a size of 0 in the zero bucket.
    expect(series.native).toMatchObject({
      schema: 0,
      positiveSpans: [
        { offset: 8, length: 1 },
        { offset: 3, length: 1 },
      ],
      positiveDeltas: [1, 0],
    });
    expect(onlySeries(await exposedHistogram(registry, 'http_request_size_bytes')).native?.zeroCount).toBe(2);
  });

  it('reach the page made from JSON (default labels) as a histogram with its native buckets', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ app: 'dog-walker' });
    const { recorder } = setup({ nativeHistograms: { classic: false } }, registry);
    record(recorder, 0, 150);
    const series = onlySeries(await exposedHistogram(registry, 'http_response_size_bytes'));
    expect(series.labels).toEqual({ method: 'GET', route: '/dogs/:id', app: 'dog-walker' });
    expect(series.native?.positiveSpans).toEqual([{ offset: 58, length: 1 }]);
    expect(sampleLines(await scrape(registry), 'http_response_size_bytes_count')).toEqual([
      'http_response_size_bytes_count{method="GET",route="/dogs/:id",app="dog-walker"} 1',
    ]);
  });

  it('are zeroed with the series by registry.resetMetrics()', async () => {
    const { registry, recorder } = setup({ nativeHistograms: true });
    record(recorder, 0, 150);
    registry.resetMetrics();
    const series = onlySeries(await exposedHistogram(registry, 'http_response_size_bytes'));
    expect(series.count).toBe(0);
    expect(series.native?.positiveSpans).toEqual([]);
  });

  it('are part of what makes a family the same: other settings on one registry are a conflict', () => {
    const registry = new Registry();
    setup({ nativeHistograms: true }, registry);
    expect(() => setup({ nativeHistograms: true }, registry)).not.toThrow();
    let error: unknown;
    try {
      setup({ nativeHistograms: { schema: 5 } }, registry);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(PromenadeError);
    expect((error as PromenadeError).message).toBe(
      `${PKG}: metric "http_request_duration_seconds" is already registered and differs in native histograms (registered: schema 3, zeroThreshold 2.938735877055719e-39, maxBuckets 160, with classic buckets, requested by option "nativeHistograms": schema 5, zeroThreshold 2.938735877055719e-39, maxBuckets 160, with classic buckets); choose another "prefix"`,
    );
  });

  it.each([
    [
      { nativeHistograms: 'on' },
      'option "nativeHistograms" must be true, false or an object (received "on")',
    ],
    [
      { nativeHistograms: { schema: 9 } },
      'option "nativeHistograms.schema" must be an integer from -4 to 8 (received 9)',
    ],
    [
      { nativeHistograms: { schema: 1.5 } },
      'option "nativeHistograms.schema" must be an integer from -4 to 8 (received 1.5)',
    ],
    [
      { nativeHistograms: { zeroThreshold: -1 } },
      'option "nativeHistograms.zeroThreshold" must be a finite number, 0 or more (received -1)',
    ],
    [
      { nativeHistograms: { maxBuckets: 0 } },
      'option "nativeHistograms.maxBuckets" must be a positive integer (received 0)',
    ],
    [
      { nativeHistograms: { classic: 'no' } },
      'option "nativeHistograms.classic" must be a boolean (received "no")',
    ],
    [
      { nativeHistograms: { shema: 2 } },
      'option "nativeHistograms.shema" is not a known option; did you mean "schema"? (received 2)',
    ],
  ])('rejects %j at creation', (options, message) => {
    let error: unknown;
    try {
      resolveHttpOptions(options, PKG, {}, {});
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(PromenadeError);
    expect((error as PromenadeError).message).toBe(`${PKG}: ${message}`);
    expect((error as PromenadeError).code).toMatch(/^ERR_PROMENADE_(INVALID|UNKNOWN)_OPTION$/);
  });
});

/** Each line with its labels in name order, so that two pages compare by their samples. */
function withSortedLabels(page: string): string[] {
  return page
    .split('\n')
    .map((line) =>
      line.replace(/\{(.*)\}/, (_, labels: string) => `{${labels.split(',').sort().join(',')}}`),
    );
}

describe('native histograms on the business histogram() factory', () => {
  const definition = {
    name: 'walk_distance_meters',
    help: 'Distance of a walk.',
    labelNames: ['dog'] as const,
    buckets: [100, 1000],
  };

  it('count every way prom-client observes, and keep the classic page as it was', async () => {
    const classicRegistry = new Registry();
    const nativeRegistry = new Registry();
    const classic = histogram({ ...definition, registry: classicRegistry });
    const native = histogram({ ...definition, registry: nativeRegistry, nativeHistogram: { schema: 0 } });
    for (const metric of [classic, native]) {
      metric.observe({ dog: 'rex' }, 150);
      metric.labels('rex').observe(3000);
      metric.labels({ dog: 'fido' }).observe(0);
    }
    // The same samples; the native family is written as core writes its histograms, `le` last.
    expect(withSortedLabels(await scrape(nativeRegistry))).toEqual(
      withSortedLabels(await scrape(classicRegistry)),
    );
    const family = await exposedHistogram(nativeRegistry, 'walk_distance_meters');
    const byDog = new Map([...family.series].map((series) => [series.labels.dog, series.native]));
    // 150 in (128, 256], index 8; 3000 in (2048, 4096], index 12.
    expect(byDog.get('rex')).toMatchObject({
      schema: 0,
      positiveSpans: [
        { offset: 8, length: 1 },
        { offset: 3, length: 1 },
      ],
      positiveDeltas: [1, 0],
    });
    expect(byDog.get('fido')).toMatchObject({ zeroCount: 1, positiveSpans: [] });
  });

  it('count what a timer observes, and forget a removed or reset label set', async () => {
    const registry = new Registry();
    const metric = histogram({ ...definition, registry, nativeHistogram: true });
    metric.startTimer({ dog: 'rex' })();
    let family = await exposedHistogram(registry, 'walk_distance_meters');
    expect(onlySeries(family).native?.positiveSpans).toHaveLength(1);
    metric.remove('rex');
    metric.observe({ dog: 'rex' }, 1);
    family = await exposedHistogram(registry, 'walk_distance_meters');
    expect(onlySeries(family).native).toMatchObject({
      positiveSpans: [{ offset: 0, length: 1 }],
      positiveDeltas: [1],
    });
    metric.reset();
    metric.zero({ dog: 'rex' });
    expect(
      onlySeries(await exposedHistogram(registry, 'walk_distance_meters')).native?.positiveSpans,
    ).toEqual([]);
  });

  it('native only: the +Inf bucket, the sum and the count on the text page', async () => {
    const registry = new Registry();
    const metric = histogram({ ...definition, registry, nativeHistogram: { classic: false } });
    metric.observe({ dog: 'rex' }, 150);
    expect(await scrape(registry)).toBe(
      [
        '# HELP walk_distance_meters Distance of a walk.',
        '# TYPE walk_distance_meters histogram',
        'walk_distance_meters_bucket{dog="rex",le="+Inf"} 1',
        'walk_distance_meters_sum{dog="rex"} 150',
        'walk_distance_meters_count{dog="rex"} 1',
        '',
      ].join('\n'),
    );
  });

  it('rejects bad settings at definition, and other settings under a registered name', () => {
    const registry = new Registry();
    expect(() => histogram({ ...definition, registry, nativeHistogram: { maxBuckets: -1 } })).toThrow(
      `${PKG}: option "histogram.nativeHistogram.maxBuckets" must be a positive integer (received -1)`,
    );
    histogram({ ...definition, registry, nativeHistogram: true });
    expect(() => histogram({ ...definition, registry, nativeHistogram: true })).not.toThrow();
    expect(() => histogram({ ...definition, registry })).toThrow(
      `${PKG}: metric "walk_distance_meters" is already registered and differs in native histograms (registered: schema 3, zeroThreshold 2.938735877055719e-39, maxBuckets 160, with classic buckets, requested by option "histogram.nativeHistogram": off)`,
    );
  });
});
