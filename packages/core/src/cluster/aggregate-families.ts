import type { MetricFamily } from '../exposition/exposed-family.js';
import type { AggregatedFamily, AggregatedSeries } from './aggregated-series.js';
import { addExact, roundExact } from './exact-sum.js';
import { NativeSum } from './native-sum.js';
import type { WireExemplar } from './protocol.js';
import type { WorkerSnapshot } from './worker-snapshot.js';

type Sample = {
  value: number;
  labels: Readonly<Record<string, string | number>>;
  metricName?: string;
  native?: NonNullable<MetricFamily['values'][number]['native']>;
  exemplar?: WireExemplar;
  created?: number;
};

function accumulate(series: AggregatedSeries, value: number, changedAt: number): void {
  const first = series.contributions === 0;
  series.contributions += 1;
  if (series.monotonic) {
    if (!series.spilled) {
      // Whole numbers below 2^53 add exactly as doubles: most counts never need the partials.
      const sum = series.accumulated + value;
      if (Number.isSafeInteger(value) && Number.isSafeInteger(sum)) {
        series.accumulated = sum;
        return;
      }
      spill(series, series.accumulated);
    }
    addExact(series.total!, value);
    return;
  }
  switch (series.family.aggregation) {
    case 'max':
      series.accumulated = first ? value : Math.max(series.accumulated, value);
      return;
    case 'min':
      series.accumulated = first ? value : Math.min(series.accumulated, value);
      return;
    case 'mostRecent':
      if (changedAt > series.latestAt) {
        series.latestAt = changedAt;
        series.accumulated = value;
      }
      return;
    default:
      // sum and average
      series.accumulated += value;
  }
}

/** From here on this pass, the series' total is kept as exact partials, starting from `start`. */
function spill(series: AggregatedSeries, start: number): void {
  // Overwritten in place: an array emptied gives up its storage, and the next push takes
  // seventeen slots, garbage at every scrape and memory kept per series.
  series.total ??= [];
  series.total[0] = start;
  series.total.length = 1;
  series.spilled = true;
}

function aggregatedValue(series: AggregatedSeries): number | undefined {
  if (series.monotonic) return series.spilled ? roundExact(series.total!) : series.accumulated;
  if (series.contributions === 0) return undefined;
  return series.family.aggregation === 'average'
    ? series.accumulated / series.contributions
    : series.accumulated;
}

function sample(series: AggregatedSeries, value: number, labels = series.labels): Sample {
  const out: Sample =
    series.metricName === undefined ? { value, labels } : { value, labels, metricName: series.metricName };
  if (series.nativeTotal) out.native = series.nativeTotal.buckets();
  if (series.exemplar) out.exemplar = series.exemplar;
  if (series.started !== undefined && Number.isFinite(series.started)) out.created = series.started;
  return out;
}

/** The labels that name one histogram or summary: all but the bucket's `le` and the `quantile`. */
function labelSetKey(labels: Sample['labels']): string {
  let key = '';
  for (const name of Object.keys(labels).sort()) {
    if (name !== 'le' && name !== 'quantile') key += `\u0000${name}\u0001${labels[name]}`;
  }
  return key;
}

/**
 * The samples with each label set's lines together, in the order the sets first appear. Series
 * reach the primary in the order workers name them, and a worker names a new label set (a GC
 * kind, a route) long after others, or reuses the id of a removed series: OpenMetrics requires
 * one label set's buckets, count and sum to stand together.
 */
function groupedByLabelSet(samples: Sample[]): Sample[] {
  const groups = new Map<string, Sample[]>();
  for (const sample of samples) {
    const key = labelSetKey(sample.labels);
    const group = groups.get(key);
    if (group) group.push(sample);
    else groups.set(key, [sample]);
  }
  if (groups.size === samples.length) return samples;
  return [...groups.values()].flatMap((group) => group.sort(byBucketBound));
}

/** Buckets by their bound, `+Inf` last, ahead of the sum and count (a stable sort keeps theirs). */
function byBucketBound(a: Sample, b: Sample): number {
  return bucketBound(a) - bucketBound(b);
}

function bucketBound(sample: Sample): number {
  const le = sample.labels.le;
  if (le === undefined) return Number.MAX_VALUE;
  const bound = Number(le);
  return Number.isFinite(bound) ? bound : Number.MAX_VALUE / 2;
}

/**
 * The families as one process would show them: each series combined across the live workers as
 * its family declares, counters and histograms with what dead workers had counted, and the
 * series served per worker with their `worker` label.
 */
export function aggregateFamilies(
  families: Iterable<AggregatedFamily>,
  workers: Iterable<WorkerSnapshot>,
): MetricFamily[] {
  const list = [...families];
  for (const family of list) {
    for (const series of family.byKey.values()) {
      series.accumulated = 0;
      series.contributions = 0;
      series.latestAt = -1;
      series.spilled = false;
      // A monotonic total starts from what dead workers left, exactly (cluster/exact-sum.ts).
      const { retained } = series;
      if (retained && retained.length === 1 && Number.isSafeInteger(retained[0])) {
        series.accumulated = retained[0]!;
      } else if (retained) {
        spill(series, retained[0]!);
        for (let i = 1; i < retained.length; i++) series.total![i] = retained[i]!;
      }
      series.nativeTotal = undefined;
      if (series.retainedNative) {
        series.nativeTotal = new NativeSum();
        series.nativeTotal.addSum(series.retainedNative);
      }
    }
  }
  const perWorker = new Map<AggregatedFamily, Sample[]>();
  for (const worker of workers) {
    const { series: byId, values, changedAt, workerLabels, natives } = worker;
    for (let id = 0; id < byId.length; id++) {
      const series = byId[id];
      if (series === undefined) continue;
      if (series.perWorker) {
        let samples = perWorker.get(series.family);
        if (!samples) {
          samples = [];
          perWorker.set(series.family, samples);
        }
        samples.push(sample(series, values[id]!, workerLabels[id]));
      } else {
        accumulate(series, values[id]!, changedAt[id]!);
        const native = natives[id];
        if (native) {
          series.nativeTotal ??= new NativeSum();
          series.nativeTotal.add(native);
        }
      }
    }
  }
  const out: MetricFamily[] = [];
  for (const family of list) {
    if (family.aggregation === 'omit') continue;
    const samples: Sample[] = perWorker.get(family) ?? [];
    for (const series of family.byKey.values()) {
      if (series.perWorker) continue;
      const value = aggregatedValue(series);
      if (value !== undefined) samples.push(sample(series, value));
    }
    if (samples.length > 0)
      out.push({
        name: family.name,
        help: family.help,
        type: family.type,
        values: groupedByLabelSet(samples),
      });
  }
  return out;
}
