import type { Exposable, ExposedCounter, MetricFamily } from '../exposition/exposed-family.js';
import { labelText } from '../exposition/text-escaping.js';
import type { FoldCount } from './label-set-cap.js';
import { type ConflictContext, defineOrReuse } from './registered-metric.js';
import { SeriesFamily, type SeriesFamilyConfig } from './series-family.js';

/**
 * One label set of a SeriesCounter. Callers hold on to it, so counting is one addition:
 * no label hashing or validation per call.
 */
export class CounterSeries {
  readonly labels: Readonly<Record<string, string>>;
  /** `name="value",...` escaped once, so a scrape does not escape per line. */
  readonly labelText: string;
  value = 0;
  /** When it started counting, in ms since the epoch: its start timestamp on the page. */
  created = Date.now();
  /** Set when this series stands for label sets folded by the family's cap. */
  private readonly foldCount: FoldCount | undefined;

  constructor(labels: Record<string, string>, foldCount: FoldCount | undefined) {
    this.labels = labels;
    this.labelText = labelText(labels);
    this.foldCount = foldCount;
  }

  /** True when this series stands for label sets folded by the family's cap. */
  get folded(): boolean {
    return this.foldCount !== undefined;
  }

  /**
   * Adds `amount` (1 by default), counted as one fold on a folded series. Amounts come from
   * the library's own code: never negative.
   */
  inc(amount = 1): void {
    this.value += amount;
    if (this.foldCount !== undefined) this.foldCount.inc();
  }
}

export type SeriesCounterConfig = SeriesFamilyConfig;

/**
 * A counter that keeps its own storage (see SeriesFamily). A series exists, at 0, from the
 * moment it is asked for, so series meant to start at zero need no increment.
 */
export class SeriesCounter extends SeriesFamily<CounterSeries> implements Exposable {
  /** The kind a conflict message names. */
  static readonly kind = 'series counter';
  readonly type = 'counter';

  /** The counter family of this name on `config.registry`, defined now or by an earlier call. */
  static define(config: SeriesCounterConfig, context: ConflictContext): SeriesCounter {
    return defineOrReuse(
      config.registry,
      { name: config.name, type: SeriesCounter, help: config.help, labelNames: config.labelNames },
      () => new SeriesCounter(config),
      context,
    );
  }

  protected newSeries(labels: Record<string, string>, foldCount: FoldCount | undefined): CounterSeries {
    return new CounterSeries(labels, foldCount);
  }

  /** The family for the writers, from label text escaped once: the scrape's hot path. */
  expose(): ExposedCounter {
    this.bringUpToDate();
    return { kind: 'counter', name: this.name, help: this.help, series: this.allSeries };
  }

  /**
   * The family's values now; `get()` is the registry's asynchronous form of it. Each sample
   * carries its series' start, for the pages made from JSON (default labels, the cluster primary's own).
   */
  snapshot(): MetricFamily & { aggregator: 'sum' } {
    this.bringUpToDate();
    const values = Array.from(this.byKey.values(), (series) => ({
      labels: series.labels,
      value: series.value,
      created: series.created,
    }));
    return { name: this.name, help: this.help, type: 'counter', aggregator: 'sum', values };
  }

  async get(): Promise<MetricFamily & { aggregator: 'sum' }> {
    return this.snapshot();
  }

  /** Zeroes every series in place: callers keep references, so series are never dropped. */
  reset(): void {
    const now = Date.now();
    for (const series of this.byKey.values()) {
      series.value = 0;
      series.created = now;
    }
  }
}
