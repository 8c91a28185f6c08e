import { readFileSync } from 'node:fs';
import { type DecodedMetricFamily, decodeProtobufPage, scrapeProtobuf } from '@promenade/core/testing';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script of the package, without types
import { metricsDescriptorSource } from '../scripts/metrics-descriptor-source.mjs';
import { writeRegistry } from '../src/exposition/collect-families.js';
import { writerFor } from '../src/exposition/negotiate.js';
import {
  HandBuiltNativeHistogram,
  NINE_OBSERVATIONS,
  NINE_OBSERVATIONS_IN_PROTO,
  NINE_OBSERVATIONS_SUM,
} from './fixtures/hand-built-native-histogram.js';
import { richRegistry } from './fixtures/rich-registry.js';

type MetricFamilyJson = {
  name: string;
  values: { value: number; labels?: Record<string, unknown>; metricName?: string }[];
};

function sampleKey(name: string, labels: Record<string, unknown>): string {
  const canonical = Object.entries(labels)
    .map(([label, value]) => [
      label,
      label === 'le' || label === 'quantile'
        ? String(value === '+Inf' ? Infinity : Number(value))
        : String(value),
    ])
    .sort(([a], [b]) => (a! < b! ? -1 : 1));
  return `${name}${JSON.stringify(canonical)}`;
}

/** Every sample prom-client's JSON holds, by name and labels. */
async function jsonSamples(registry: Registry): Promise<Map<string, number>> {
  const samples = new Map<string, number>();
  for (const family of (await registry.getMetricsAsJSON()) as unknown as MetricFamilyJson[]) {
    for (const value of family.values) {
      samples.set(sampleKey(value.metricName ?? family.name, value.labels ?? {}), value.value);
    }
  }
  return samples;
}

/** The samples a protobuf page stands for, as Prometheus turns its messages into series. */
function protobufSamples(families: readonly DecodedMetricFamily[]): Map<string, number> {
  const samples = new Map<string, number>();
  for (const { name, metric } of families) {
    for (const { label, counter, gauge, untyped, histogram, summary } of metric) {
      const labels = Object.fromEntries(label.map((pair) => [pair.name, pair.value]));
      const set = (suffix: string, value: number | undefined, extra: Record<string, unknown> = {}) =>
        samples.set(sampleKey(`${name}${suffix}`, { ...labels, ...extra }), value ?? 0);
      if (counter) set('', counter.value);
      if (gauge) set('', gauge.value);
      if (untyped) set('', untyped.value);
      if (histogram) {
        for (const bucket of histogram.bucket)
          set('_bucket', bucket.cumulativeCount, { le: bucket.upperBound });
        set('_bucket', histogram.sampleCount, { le: Number.POSITIVE_INFINITY });
        set('_sum', histogram.sampleSum);
        set('_count', histogram.sampleCount);
      }
      if (summary) {
        for (const quantile of summary.quantile) set('', quantile.value, { quantile: quantile.quantile });
        set('_sum', summary.sampleSum);
        set('_count', summary.sampleCount);
      }
    }
  }
  return samples;
}

describe('the protobuf page', () => {
  it('carries every sample of every kind of family, with its labels and value', async () => {
    const registry = richRegistry();
    const expected = await jsonSamples(registry);
    const families = await scrapeProtobuf(registry);
    expect(protobufSamples(families)).toEqual(expected);
    expect(expected.size).toBeGreaterThan(100);
  });

  it('with default labels too', async () => {
    const registry = richRegistry({ service: 'dog "walker"' });
    expect(protobufSamples(await scrapeProtobuf(registry))).toEqual(await jsonSamples(registry));
  });

  it('types each family as metrics.proto names it, and keeps names and help as they are', async () => {
    const families = await scrapeProtobuf(richRegistry());
    const types = Object.fromEntries(families.map((family) => [family.name, family.type]));
    expect(types).toMatchObject({
      http_request_duration_seconds: 'HISTOGRAM',
      http_exceptions_total: 'COUNTER',
      http_requests_in_flight: 'GAUGE',
      prom_jobs_total: 'COUNTER',
      prom_values: 'GAUGE',
      prom_latency_seconds: 'HISTOGRAM',
      prom_size_bytes: 'SUMMARY',
      custom_untyped: 'UNTYPED',
      dogwalker_walks_total: 'COUNTER',
      dogwalker_dogs_waiting: 'GAUGE',
      dogwalker_walk_seconds: 'HISTOGRAM',
      dogwalker_walk_km: 'SUMMARY',
      core_unlabelled_total: 'COUNTER',
    });
    const jobs = families.find((family) => family.name === 'prom_jobs_total');
    expect(jobs?.help).toBe('Jobs "done" \\ so far,\nby queue.');
    expect(jobs?.metric[0]?.label).toEqual([
      { name: 'queue', value: 'quote " backslash \\ newline \n end' },
      { name: 'result', value: 'ok' },
    ]);
  });

  it('carries prom-client’s default metrics, each family with its type', async () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const families = await scrapeProtobuf(registry);
    const expected = ((await registry.getMetricsAsJSON()) as unknown as { name: string; type: string }[]).map(
      ({ name, type }) => [name, type.toUpperCase()],
    );
    expect(families.map(({ name, type }) => [name, type])).toEqual(expected);
    expect(families.find(({ name }) => name === 'process_cpu_seconds_total')?.metric.length).toBe(1);
  });

  it('carries native buckets as metrics.proto does, and no classic bucket when there is none', async () => {
    const registry = new Registry();
    new HandBuiltNativeHistogram(
      'walk_seconds',
      'Walk length.',
      [
        { labels: { city: 'Lyon' }, sum: NINE_OBSERVATIONS_SUM, count: 9, native: NINE_OBSERVATIONS },
        {
          labels: { city: 'Nantes' },
          sum: 0,
          count: 0,
          native: {
            schema: 3,
            zeroThreshold: 0,
            zeroCount: 0,
            positiveSpans: [],
            positiveDeltas: [],
            negativeSpans: [],
            negativeDeltas: [],
          },
        },
      ],
      registry,
    );
    const [family] = await scrapeProtobuf(registry);
    expect(family).toEqual({
      name: 'walk_seconds',
      help: 'Walk length.',
      type: 'HISTOGRAM',
      metric: [
        {
          label: [{ name: 'city', value: 'Lyon' }],
          histogram: { ...NINE_OBSERVATIONS_IN_PROTO, negativeCount: [], positiveCount: [], exemplars: [] },
        },
        {
          // No bucket yet: an empty span says it is native all the same (Prometheus reads a
          // histogram with no span and a zero threshold of 0 as a classic one).
          label: [{ name: 'city', value: 'Nantes' }],
          histogram: {
            sampleCount: 0,
            sampleSum: 0,
            bucket: [],
            schema: 3,
            zeroThreshold: 0,
            zeroCount: 0,
            negativeSpan: [],
            negativeDelta: [],
            negativeCount: [],
            positiveSpan: [{ offset: 0, length: 0 }],
            positiveDelta: [],
            positiveCount: [],
            exemplars: [],
          },
        },
      ],
    });
  });

  it('is a sequence of length-delimited messages (an empty registry is an empty page)', async () => {
    expect((await writeRegistry(new Registry(), writerFor('protobuf'))).length).toBe(0);
    const page = await writeRegistry(richRegistry(), writerFor('protobuf'));
    const families = await decodeProtobufPage(page);
    expect(families.length).toBe(richRegistry().getMetricsAsArray().length);
  });

  it('is encoded from the descriptor of the metrics.proto kept in the package', () => {
    const committed = readFileSync(
      new URL('../src/exposition/metrics-descriptor.ts', import.meta.url),
      'utf8',
    );
    expect(committed).toBe(metricsDescriptorSource());
  });
});
