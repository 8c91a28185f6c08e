import type { NativeBuckets } from '../exposition/exposed-family.js';
import {
  type AggregatedFamily,
  type AggregatedSeries,
  createFamily,
  type Labels,
  releaseSeries,
  seriesOf,
} from './aggregated-series.js';
import { addExact } from './exact-sum.js';
import { NativeSum } from './native-sum.js';
import { decodeValue, type WorkerMessage } from './protocol.js';

/**
 * The primary's copy of one worker's metrics: its series by the ids the worker gave them, and
 * their last values. Kept current by applying the worker's messages in order.
 */
export class WorkerSnapshot {
  readonly worker: string;
  /** Aggregated families by the worker's family index. */
  private readonly familyIndex: AggregatedFamily[] = [];
  readonly series: (AggregatedSeries | undefined)[] = [];
  readonly values: number[] = [];
  /** The native buckets of a histogram's `_count` series, by id. */
  readonly natives: (NativeBuckets | undefined)[] = [];
  /** When each value last changed, for `mostRecent` gauges. */
  readonly changedAt: number[] = [];
  /** Labels with `worker` added, for the series served per worker. */
  readonly workerLabels: (Labels | undefined)[] = [];
  /** When the worker's process started (ms since the epoch), once it said; see `AggregatedSeries.started`. */
  startedAt: number | undefined = undefined;
  /** When the last snapshot arrived (ms since the epoch); 0 before the first. */
  updatedAt = 0;
  scrapeFailures = 0;
  /** Label names and values shared by the aggregator's families (see internedLabels). */
  private readonly strings: Map<string, string>;

  constructor(worker: string, strings = new Map<string, string>()) {
    this.worker = worker;
    this.strings = strings;
  }

  apply(message: WorkerMessage, families: Map<string, AggregatedFamily>, now: number): void {
    if (message.reset) this.unbind();
    if (message.startedAt !== undefined) this.startedAt = message.startedAt;
    for (const [index, name, help, type, aggregation] of message.families ?? []) {
      let family = families.get(name);
      if (!family) {
        family = createFamily(name, help, type, aggregation, this.strings);
        families.set(name, family);
      }
      this.familyIndex[index] = family;
    }
    for (const id of message.removed ?? []) this.release(id);
    for (const [id, familyIndex, metricName, labels] of message.series ?? []) {
      const family = this.familyIndex[familyIndex];
      if (!family) continue;
      this.release(id);
      const series = seriesOf(family, metricName === 0 ? undefined : metricName, labels);
      series.workers += 1;
      if (series.monotonic) series.started = earliest(series.started, this.startedAt);
      this.series[id] = series;
      this.values[id] = 0;
      // Written only for the series that need them: three arrays as long as the series, written
      // for every id, were a third of the primary's memory per series.
      if (series.family.aggregation === 'mostRecent') this.changedAt[id] = now;
      if (series.perWorker) this.workerLabels[id] = { ...series.labels, worker: this.worker };
    }
    const values = message.values ?? [];
    for (let i = 0; i + 1 < values.length; i += 2) {
      const id = values[i] as number;
      const series = this.series[id];
      if (!series) continue;
      const value = decodeValue(values[i + 1]!);
      const previous = this.values[id]!;
      // A worker whose counter went down was reset (registry.resetMetrics()): keep what it had.
      if (series.monotonic && value < previous) this.retain(id, previous);
      this.values[id] = value;
      if (series.family.aggregation === 'mostRecent') this.changedAt[id] = now;
    }
    for (const [id, buckets] of message.natives ?? []) {
      if (this.series[id]) this.natives[id] = buckets;
    }
    for (const [id, exemplar] of message.exemplars ?? []) {
      const series = this.series[id];
      if (series && !(series.exemplar && series.exemplar.timestamp > exemplar.timestamp)) {
        series.exemplar = exemplar;
      }
    }
    this.updatedAt = now;
  }

  /** The worker is gone: its counts join the retained totals, its gauges are dropped. */
  fold(): void {
    for (let id = 0; id < this.series.length; id++) this.release(id);
  }

  /** Forgets the worker's series without retaining them: the same message names them again. */
  private unbind(): void {
    for (let id = 0; id < this.series.length; id++) {
      const series = this.series[id];
      if (!series) continue;
      this.series[id] = undefined;
      this.clear(this.natives, id);
      this.clear(this.workerLabels, id);
      releaseSeries(series);
    }
    this.familyIndex.length = 0;
  }

  /** What the series had counted joins its retained total, native buckets included. */
  private retain(id: number, value: number): void {
    const series = this.series[id]!;
    // Zero as one partial, so that the array is never emptied (see addExact).
    series.retained ??= [0];
    addExact(series.retained, value);
    const native = this.natives[id];
    if (native) {
      series.retainedNative ??= new NativeSum();
      series.retainedNative.add(native);
    }
    this.clear(this.natives, id);
  }

  private release(id: number): void {
    const series = this.series[id];
    if (!series) return;
    if (series.monotonic) this.retain(id, this.values[id] ?? 0);
    this.clear(this.natives, id);
    this.series[id] = undefined;
    this.clear(this.workerLabels, id);
    releaseSeries(series);
  }

  /** Forgets an entry of a sparse array without writing one where there was none. */
  private clear(entries: unknown[], id: number): void {
    if (entries[id] !== undefined) entries[id] = undefined;
  }
}

/** The earlier of two starts; unknown (NaN) for good once a worker gave none. */
function earliest(known: number | undefined, reported: number | undefined): number {
  if (reported === undefined) return Number.NaN;
  return known === undefined ? reported : Math.min(known, reported);
}
