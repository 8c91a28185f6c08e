import type { Registry } from 'prom-client';
import { writeRegistry } from '../exposition/collect-families.js';
import type { MetricFamily } from '../exposition/exposed-family.js';
import type { ExpositionFormat } from '../exposition/exposition-writer.js';
import { writerFor } from '../exposition/negotiate.js';
import { type DecodedMetricFamily, decodeProtobufPage } from './protobuf-decoding.js';

/**
 * Helpers for tests of instrumented applications, in the spirit of django-prometheus's
 * testutils: read one sample, or the change of every sample between two moments.
 */

export type Labels = Readonly<Record<string, string | number>>;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

async function samples(registry: Registry): Promise<Sample[]> {
  const families = (await registry.getMetricsAsJSON()) as unknown as MetricFamily[];
  return families.flatMap((family) =>
    family.values.map((value) => ({
      name: value.metricName ?? family.name,
      labels: Object.fromEntries(Object.entries(value.labels ?? {}).map(([k, v]) => [k, String(v)])),
      value: value.value,
    })),
  );
}

function matches(sample: Sample, name: string, labels: Labels): boolean {
  if (sample.name !== name) return false;
  return Object.entries(labels).every(([key, value]) => sample.labels[key] === String(value));
}

/** The exposition page as a scraper would get it (`scrapeProtobuf` decodes the protobuf one). */
export async function scrape(
  registry: Registry,
  format: Exclude<ExpositionFormat, 'protobuf'> = 'text',
): Promise<string> {
  return (await writeRegistry(registry, writerFor(format))).toString('utf8');
}

/** The protobuf page as a scraper would get it, decoded. */
export async function scrapeProtobuf(registry: Registry): Promise<DecodedMetricFamily[]> {
  return decodeProtobufPage(await writeRegistry(registry, writerFor('protobuf')));
}

/** The sample lines of one metric name (`_bucket`, `_sum`... count as their own names). */
export function sampleLines(exposition: string, name: string): string[] {
  return exposition.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

/** Sum of the samples named `name` whose labels include `labels`; undefined when none. */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Labels = {},
): Promise<number | undefined> {
  let total: number | undefined;
  for (const sample of await samples(registry)) {
    if (matches(sample, name, labels)) total = (total ?? 0) + sample.value;
  }
  return total;
}

export interface MetricsSnapshot {
  /** How much the matching samples changed since the snapshot (absent counts as 0). */
  delta(name: string, labels?: Labels): Promise<number>;
}

export async function snapshotMetrics(registry: Registry): Promise<MetricsSnapshot> {
  const before = await samples(registry);
  const sum = (list: Sample[], name: string, labels: Labels) =>
    list.reduce((total, sample) => (matches(sample, name, labels) ? total + sample.value : total), 0);
  return {
    async delta(name, labels = {}) {
      return sum(await samples(registry), name, labels) - sum(before, name, labels);
    },
  };
}
