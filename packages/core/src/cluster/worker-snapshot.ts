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
  /** When the last snapshot arrived (ms since the epoch); 0 before the first. */
  updatedAt = 0;
  scrapeFailures = 0;

  constructor(worker: string) {
    this.worker = worker;
  }

  apply(message: WorkerMessage, families: Map<string, AggregatedFamily>, now: number): void {
    if (message.reset) this.unbind();
    for (const [index, name, help, type, aggregation] of message.families ?? []) {
      let family = families.get(name);
      if (!family) {
        family = createFamily(name, help, type, aggregation);
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
      this.series[id] = series;
      this.values[id] = 0;
      this.natives[id] = undefined;
      this.changedAt[id] = now;
      this.workerLabels[id] = series.perWorker ? { ...labels, worker: this.worker } : undefined;
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
      this.changedAt[id] = now;
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
      this.natives[id] = undefined;
      this.workerLabels[id] = undefined;
      releaseSeries(series);
    }
    this.familyIndex.length = 0;
  }

  /** What the series had counted joins its retained total, native buckets included. */
  private retain(id: number, value: number): void {
    const series = this.series[id]!;
    addExact(series.retained, value);
    const native = this.natives[id];
    if (native) series.retainedNative.add(native);
    this.natives[id] = undefined;
  }

  private release(id: number): void {
    const series = this.series[id];
    if (!series) return;
    if (series.monotonic) this.retain(id, this.values[id] ?? 0);
    this.natives[id] = undefined;
    this.series[id] = undefined;
    this.workerLabels[id] = undefined;
    releaseSeries(series);
  }
}
