import type {
  ExposedHistogram,
  ExposedHistogramSeries,
  MetricFamily,
  NativeBuckets,
} from './exposed-family.js';
import { labelText } from './text-escaping.js';

type Sample = MetricFamily['values'][number];

interface SeriesParts {
  labels: Record<string, string>;
  bounds: number[];
  cumulative: number[];
  sum: number;
  count: number;
  native: NativeBuckets | undefined;
}

/**
 * A histogram family given as flat samples (a registry with default labels, the cluster
 * primary) whose `_count` samples carry native buckets, as the histogram it is, so that a writer
 * that can show native buckets finds them. Undefined for any other family, which keeps its
 * samples and prom-client's order on the text pages.
 */
export function histogramFromSamples(family: MetricFamily): ExposedHistogram | undefined {
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
    series.push({
      labels: parts.labels,
      labelText: labelText(parts.labels),
      counts,
      sum: parts.sum,
      count: parts.count,
      ...(parts.native ? { native: parts.native } : {}),
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
    parts = { labels, bounds: [], cumulative: [], sum: 0, count: 0, native: undefined };
    byLabels.set(key, parts);
  }
  return parts;
}

function addSample(parts: SeriesParts, sample: Sample, name: string): void {
  if (sample.metricName === `${name}_sum`) parts.sum = sample.value;
  else if (sample.metricName === `${name}_count`) {
    parts.count = sample.value;
    parts.native = sample.native;
  } else {
    const bound = Number(sample.labels?.le);
    if (Number.isFinite(bound)) {
      parts.bounds.push(bound);
      parts.cumulative.push(sample.value);
    }
  }
}
