import type {
  Exemplar,
  ExemplarLabels,
  Exposable,
  ExposedHistogram,
  MetricFamily,
  NativeBuckets,
} from '../exposition/exposed-family.js';
import { labelText } from '../exposition/text-escaping.js';
import type { NativeHistogramSettings } from '../options/native-histogram-options.js';
import { ExponentialBuckets } from './exponential-buckets.js';
import type { FoldCount } from './label-set-cap.js';
import { type ConflictContext, defineOrReuse } from './registered-metric.js';
import { SeriesFamily, type SeriesFamilyConfig } from './series-family.js';

/**
 * One label set of a SeriesHistogram. Adapters hold on to it, so observing is a bucket
 * search and three additions: no label hashing or validation per request.
 */
export class HistogramSeries {
  readonly labels: Readonly<Record<string, string>>;
  /** `name="value",...` escaped once, so a scrape does not escape per bucket line. */
  readonly labelText: string;
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  /** When it started counting, in ms since the epoch: its start timestamp on the page. */
  created = Date.now();
  /** The family's upper bounds, shared by its series (see SeriesHistogram.observedBounds). */
  private readonly upperBounds: Float64Array;
  /** Set when this series stands for label sets folded by the family's cap. */
  protected readonly foldCount: FoldCount | undefined;
  /**
   * The newest exemplar of each classic bucket (+Inf last), made on the first exemplar: a series
   * that never gets one holds none. A native-only series has the +Inf bucket alone, so one.
   */
  private kept: (Exemplar | undefined)[] | undefined;

  constructor(labels: Record<string, string>, upperBounds: Float64Array, foldCount: FoldCount | undefined) {
    this.labels = labels;
    this.labelText = labelText(labels);
    this.upperBounds = upperBounds;
    this.foldCount = foldCount;
    this.counts = new Float64Array(upperBounds.length + 1);
  }

  /** The native buckets for the writers: none here (NativeHistogramSeries keeps them). */
  get native(): NativeBuckets | undefined {
    return undefined;
  }

  /** The newest exemplar per classic bucket, for the writers; undefined when none was kept. */
  get exemplars(): readonly (Exemplar | undefined)[] | undefined {
    return this.kept;
  }

  /** True when this series stands for label sets folded by the family's cap. */
  get folded(): boolean {
    return this.foldCount !== undefined;
  }

  /** Observes `value`, counted as one fold on a folded series. */
  observe(value: number): void {
    const bounds = this.upperBounds;
    let index = 0;
    while (index < bounds.length && value > bounds[index]!) index++;
    this.counts[index]! += 1;
    this.sum += value;
    this.count += 1;
    if (this.foldCount !== undefined) this.foldCount.inc();
  }

  /**
   * Observes `value` and keeps it, with `labels`, as its bucket's exemplar. A path of its own, so
   * that `observe` costs nothing more when exemplars are off.
   */
  observeWithExemplar(value: number, labels: ExemplarLabels): void {
    this.observe(value);
    const bounds = this.upperBounds;
    let index = 0;
    while (index < bounds.length && value > bounds[index]!) index++;
    this.kept ??= new Array(bounds.length + 1).fill(undefined);
    this.kept[index] = { labels, labelText: labelText(labels), value, timestamp: Date.now() };
  }

  reset(): void {
    this.kept = undefined;
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
    this.created = Date.now();
  }
}

/**
 * A series that also keeps native buckets. A class of its own rather than a branch in
 * HistogramSeries.observe: the branch alone made the classic path measurably dearer
 * (bench/RESULTS.md, native histograms), and a family's series are all of one class, so call
 * sites stay monomorphic.
 */
export class NativeHistogramSeries extends HistogramSeries {
  protected readonly exponential: ExponentialBuckets;

  constructor(
    labels: Record<string, string>,
    upperBounds: Float64Array,
    foldCount: FoldCount | undefined,
    nativeHistogram: NativeHistogramSettings,
  ) {
    super(labels, upperBounds, foldCount);
    this.exponential = new ExponentialBuckets(nativeHistogram);
  }

  override get native(): NativeBuckets {
    return this.exponential.buckets();
  }

  override observe(value: number): void {
    super.observe(value);
    this.exponential.observe(value);
  }

  override reset(): void {
    super.reset();
    this.exponential.reset();
  }
}

/**
 * A native-only series (`classic: false`, no classic bound): no search, as every value goes in
 * the one classic slot, the +Inf bucket.
 */
export class NativeOnlyHistogramSeries extends NativeHistogramSeries {
  override observe(value: number): void {
    this.exponential.observe(value);
    this.counts[0]! += 1;
    this.sum += value;
    this.count += 1;
    if (this.foldCount !== undefined) this.foldCount.inc();
  }
}

export interface SeriesHistogramConfig extends SeriesFamilyConfig {
  /** Empty for a native-only histogram. */
  buckets: readonly number[];
  /** Native buckets beside the classic ones; absent when off. */
  nativeHistogram?: NativeHistogramSettings | undefined;
}

/** An exemplar as prom-client puts it on a sample, time in seconds: how JSON pages carry one. */
export interface SampleExemplar {
  labelSet: Record<string, string>;
  value: number;
  timestamp: number;
}

function withExemplar<T extends object>(
  sample: T,
  exemplar: Exemplar | undefined,
): T & { exemplar?: SampleExemplar } {
  if (exemplar === undefined) return sample;
  return {
    ...sample,
    exemplar: {
      labelSet: { ...exemplar.labels },
      value: exemplar.value,
      timestamp: exemplar.timestamp / 1000,
    },
  };
}

/** A histogram that keeps its own storage (see SeriesFamily). */
export class SeriesHistogram extends SeriesFamily<HistogramSeries> implements Exposable {
  /** The kind a conflict message names. */
  static readonly kind = 'series histogram';
  readonly type = 'histogram';
  readonly upperBounds: readonly number[];
  /**
   * The same bounds, read by every observation. The buckets handed in are often frozen (the
   * resolved options' are), and V8's optimized code does not read a frozen array's elements in
   * line: each read went through a generic keyed-load call, one per observation.
   */
  private readonly observedBounds: Float64Array;
  readonly nativeHistogram: NativeHistogramSettings | undefined;

  constructor(config: SeriesHistogramConfig) {
    super(config);
    this.upperBounds = config.buckets;
    this.observedBounds = Float64Array.from(config.buckets);
    this.nativeHistogram = config.nativeHistogram;
  }

  /**
   * The histogram family of this name on `config.registry`, defined now or by an earlier call
   * with the same buckets.
   */
  static define(config: SeriesHistogramConfig, context: ConflictContext): SeriesHistogram {
    return defineOrReuse(
      config.registry,
      {
        name: config.name,
        type: SeriesHistogram,
        help: config.help,
        labelNames: config.labelNames,
        buckets: config.buckets,
        nativeHistogram: config.nativeHistogram ?? false,
      },
      () => new SeriesHistogram(config),
      context,
    );
  }

  protected newSeries(labels: Record<string, string>, foldCount: FoldCount | undefined): HistogramSeries {
    const native = this.nativeHistogram;
    if (native === undefined) return new HistogramSeries(labels, this.observedBounds, foldCount);
    return this.observedBounds.length > 0
      ? new NativeHistogramSeries(labels, this.observedBounds, foldCount, native)
      : new NativeOnlyHistogramSeries(labels, this.observedBounds, foldCount, native);
  }

  /** The family for the writers, from label text escaped once: the scrape's hot path. */
  expose(): ExposedHistogram {
    this.bringUpToDate();
    return {
      kind: 'histogram',
      name: this.name,
      help: this.help,
      upperBounds: this.upperBounds,
      series: this.allSeries,
    };
  }

  /**
   * The family's values now; `get()` is the registry's asynchronous form of it. Each sample
   * carries its series' start, for the pages made from JSON (default labels, the cluster primary's own).
   */
  snapshot(): MetricFamily & { aggregator: 'sum' } {
    this.bringUpToDate();
    const values: {
      metricName: string;
      labels: Record<string, string | number>;
      value: number;
      created: number;
      native?: NativeBuckets;
      exemplar?: SampleExemplar;
    }[] = [];
    const bucketName = `${this.name}_bucket`;
    for (const series of this.byKey.values()) {
      const { exemplars, created } = series;
      let cumulative = 0;
      for (let i = 0; i < this.upperBounds.length; i++) {
        cumulative += series.counts[i]!;
        values.push(
          withExemplar(
            {
              metricName: bucketName,
              labels: { ...series.labels, le: this.upperBounds[i]! },
              value: cumulative,
              created,
            },
            exemplars?.[i],
          ),
        );
      }
      values.push(
        withExemplar(
          { metricName: bucketName, labels: { ...series.labels, le: '+Inf' }, value: series.count, created },
          exemplars?.[this.upperBounds.length],
        ),
      );
      values.push({ metricName: `${this.name}_sum`, labels: series.labels, value: series.sum, created });
      const native = series.native;
      // The native buckets ride on the count, for the cluster and the pages made from JSON.
      values.push(
        native
          ? { metricName: `${this.name}_count`, labels: series.labels, value: series.count, created, native }
          : { metricName: `${this.name}_count`, labels: series.labels, value: series.count, created },
      );
    }
    return { name: this.name, help: this.help, type: 'histogram', aggregator: 'sum', values };
  }

  async get(): Promise<MetricFamily & { aggregator: 'sum' }> {
    return this.snapshot();
  }

  /** Zeroes every series in place: adapters keep references, so series are never dropped. */
  reset(): void {
    for (const series of this.byKey.values()) series.reset();
  }
}
