import type { ExactSum } from './exact-sum.js';
import type { NativeSum } from './native-sum.js';
import type { Aggregation, WireExemplar } from './protocol.js';

export type Labels = Readonly<Record<string, string | number>>;

/** One family as the primary serves it, whatever worker reported it first. */
export interface AggregatedFamily {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly aggregation: Aggregation;
  /** Series by key, in the order they were first reported (keeps a histogram's lines together). */
  readonly byKey: Map<string, AggregatedSeries>;
  /** Label names and values of every family, shared (see internedLabels). */
  readonly strings: Map<string, string>;
}

/** One series (sample name + labels) of a family, shared by every worker that has it. */
export interface AggregatedSeries {
  readonly family: AggregatedFamily;
  readonly metricName: string | undefined;
  readonly labels: Labels;
  /** Served per worker with a `worker` label: per-worker gauges, process metrics, summary quantiles. */
  readonly perWorker: boolean;
  /** Never goes down: a counter, a histogram's or a summary's sum and count served as one total. */
  readonly monotonic: boolean;
  /**
   * What dead or reset workers had counted: part of the total forever, kept exactly. Undefined
   * until a worker leaves one, like the rest of what only some series need (memory per series).
   */
  retained: ExactSum | undefined;
  /** A histogram's `_count`: the native buckets dead or reset workers had, kept like their counts. */
  retainedNative: NativeSum | undefined;
  /**
   * The newest exemplar any worker sent, kept when its worker dies or resets (as its counts are):
   * one per series, so one per bucket.
   */
  exemplar: WireExemplar | undefined;
  /**
   * For a monotonic series, the earliest start of the workers that ever reported it (ms since
   * the epoch): its total holds what each counted since it started, and never drops. NaN once one
   * of them gave no start. Why this start: docs/architecture.md, "Start timestamps".
   */
  started: number | undefined;
  /** Workers that have the series now. */
  workers: number;
  // Scratch space of one aggregation pass: `accumulated`, or for a monotonic series whose sum is
  // no longer a whole number below 2^53, `total` (`spilled` is set).
  total: ExactSum | undefined;
  spilled: boolean;
  accumulated: number;
  contributions: number;
  latestAt: number;
  /** The native buckets of one aggregation pass; undefined when no worker sent any. */
  nativeTotal: NativeSum | undefined;
}

export function createFamily(
  name: string,
  help: string,
  type: string,
  aggregation: Aggregation,
  strings: Map<string, string>,
): AggregatedFamily {
  return { name, help, type, aggregation, byKey: new Map(), strings };
}

/** Label names sorted, so that two workers that build labels in another order share a series. */
export function seriesKey(metricName: string | undefined, labels: Labels): string {
  const parts = [metricName ?? ''];
  for (const name of Object.keys(labels).sort()) parts.push(name, String(labels[name]));
  // One flat string: built with +=, the key would stay a tree of its pieces for the series' life.
  return parts.join('\u0000');
}

export function seriesOf(
  family: AggregatedFamily,
  metricName: string | undefined,
  labels: Labels,
): AggregatedSeries {
  const key = seriesKey(metricName, labels);
  const known = family.byKey.get(key);
  if (known) return known;
  const isQuantile = family.type === 'summary' && 'quantile' in labels;
  const perWorker = family.aggregation === 'perWorker' || isQuantile;
  const series: AggregatedSeries = {
    family,
    metricName,
    labels: internedLabels(family.strings, labels),
    perWorker,
    monotonic: !perWorker && ['counter', 'histogram', 'summary'].includes(family.type),
    retained: undefined,
    retainedNative: undefined,
    exemplar: undefined,
    started: undefined,
    workers: 0,
    total: undefined,
    spilled: false,
    accumulated: 0,
    contributions: 0,
    latestAt: -1,
    nativeTotal: undefined,
  };
  family.byKey.set(key, series);
  return series;
}

/**
 * Forgets a series no worker has any more, unless it is monotonic: a counter, a histogram's or a
 * summary's sum and count stay served once reported, even at 0 (a histogram whose `_sum` is 0
 * still needs it beside its `_count`). Memory stays bounded as workers churn: churned workers
 * report the same label sets, which share one entry.
 */
export function releaseSeries(series: AggregatedSeries): void {
  series.workers -= 1;
  if (series.workers <= 0 && !series.monotonic)
    series.family.byKey.delete(seriesKey(series.metricName, series.labels));
}

/**
 * The labels with names and values the primary already holds: each message parses its own copies,
 * and thousands of series share a few routes, methods and status codes. The table holds what the
 * workers' series have named, as bounded as their labels.
 */
function internedLabels(strings: Map<string, string>, labels: Labels): Labels {
  const out: Record<string, string | number> = {};
  for (const name of Object.keys(labels)) {
    const value = labels[name]!;
    out[intern(strings, name)] = typeof value === 'string' ? intern(strings, value) : value;
  }
  return out;
}

function intern(strings: Map<string, string>, text: string): string {
  const known = strings.get(text);
  if (known !== undefined) return known;
  strings.set(text, text);
  return text;
}
