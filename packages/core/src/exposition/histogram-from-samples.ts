import type {
  Exemplar,
  ExposedHistogram,
  ExposedHistogramSeries,
  MetricFamily,
  NativeBuckets,
} from './exposed-family.js';
import { exemplarOfSample } from './sample-exemplar.js';
import { labelText } from './text-escaping.js';

type Sample = MetricFamily['values'][number];

interface SeriesParts {
  labels: Record<string, string>;
  bounds: number[];
  cumulative: number[];
  sum: number;
  count: number;
  native: NativeBuckets | undefined;
  /** By classic bucket, +Inf last (at index `bounds.length` once all bounds are read). */
  exemplars: Map<number, Exemplar>;
  infinityExemplar: Exemplar | undefined;
  /** The start the cluster primary gave the series' samples, if any. */
  created: number | undefined;
}

/**
 * A histogram family given as flat samples (a registry with default labels, the cluster
 * primary) whose `_count` samples carry native buckets, as the histogram it is, so that a writer
 * that can show native buckets finds them. Undefined for any other family, which keeps its
 * samples and prom-client's order on the text pages.
 */
export function histogramFromSamples(
  family: MetricFamily,
  startOf?: (labels: Sample['labels']) => number | undefined,
): ExposedHistogram | undefined {
  if (family.type !== 'histogram' || !family.values.some((sample) => sample.native)) return undefined;
  const byLabels = new Map<string, SeriesParts>();
  for (const sample of family.values) addSample(partsOf(byLabels, sample), sample, family.name);
  let upperBounds: readonly number[] = [];
  const series: ExposedHistogramSeries[] = [];
  for (const parts of byLabels.values()) {
    if (series.length === 0) upperBounds = parts.bounds;
    const counts = new Float64Array(upperBounds.length + 1);
    let previous = 0;
    for (let i = 0; i < upperBounds.length; i++) {
      const cumulative = parts.cumulative[i] ?? previous;
      counts[i] = cumulative - previous;
      previous = cumulative;
    }
    counts[upperBounds.length] = parts.count - previous;
    const exemplars = exemplarsOf(parts, upperBounds.length);
    const created = parts.created ?? startOf?.(parts.labels);
    series.push({
      labels: parts.labels,
      labelText: labelText(parts.labels),
      counts,
      sum: parts.sum,
      count: parts.count,
      ...(parts.native ? { native: parts.native } : {}),
      ...(exemplars ? { exemplars } : {}),
      ...(created !== undefined ? { created } : {}),
    });
  }
  return { kind: 'histogram', name: family.name, help: family.help, upperBounds, series };
}

function partsOf(byLabels: Map<string, SeriesParts>, sample: Sample): SeriesParts {
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(sample.labels ?? {})) {
    if (name !== 'le') labels[name] = String(value);
  }
  const key = labelText(labels);
  let parts = byLabels.get(key);
  if (!parts) {
    parts = {
      labels,
      bounds: [],
      cumulative: [],
      sum: 0,
      count: 0,
      native: undefined,
      exemplars: new Map(),
      infinityExemplar: undefined,
      created: undefined,
    };
    byLabels.set(key, parts);
  }
  return parts;
}

function addSample(parts: SeriesParts, sample: Sample, name: string): void {
  if (sample.created !== undefined) parts.created = Math.min(parts.created ?? sample.created, sample.created);
  if (sample.metricName === `${name}_sum`) parts.sum = sample.value;
  else if (sample.metricName === `${name}_count`) {
    parts.count = sample.value;
    parts.native = sample.native;
  } else {
    const bound = Number(sample.labels?.le);
    const exemplar = sample.exemplar ? exemplarOfSample(sample) : undefined;
    if (Number.isFinite(bound)) {
      if (exemplar) parts.exemplars.set(parts.bounds.length, exemplar);
      parts.bounds.push(bound);
      parts.cumulative.push(sample.value);
    } else if (exemplar) parts.infinityExemplar = exemplar;
  }
}

function exemplarsOf(parts: SeriesParts, bucketCount: number): (Exemplar | undefined)[] | undefined {
  if (parts.exemplars.size === 0 && parts.infinityExemplar === undefined) return undefined;
  const exemplars: (Exemplar | undefined)[] = new Array(bucketCount + 1).fill(undefined);
  for (const [index, exemplar] of parts.exemplars) if (index < bucketCount) exemplars[index] = exemplar;
  exemplars[bucketCount] = parts.infinityExemplar;
  return exemplars;
}
