import type { Registry } from 'prom-client';
import { FoldCount, type LabelSetCap } from './label-set-cap.js';

export interface SeriesFamilyConfig {
  name: string;
  help: string;
  labelNames: readonly string[];
  registry: Registry;
  /** Absent when every label value comes from a bounded set the code chooses. */
  cap?: LabelSetCap;
}

/**
 * A metric family that keeps its own storage and exports through prom-client's registry
 * contract: label sets are resolved to series objects once, and callers hold on to them, so
 * recording does no label hashing or validation. Subclasses say what a series is and how the
 * family is exposed. Series are never dropped (callers keep references), so the count is capped.
 */
export abstract class SeriesFamily<Series> {
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  /** Infinite when the family has no cap. */
  readonly maxLabelSets: number;
  private readonly foldIndex: number;
  private readonly foldedValue: string;
  private readonly foldCount: FoldCount | undefined;
  protected readonly byKey = new Map<string, Series>();
  /** Every series, iterable again and again, for the writers. */
  protected readonly allSeries: Iterable<Series> = { [Symbol.iterator]: () => this.byKey.values() };
  /** What runs before the family is read (see `beforeRead`). */
  private readonly updates: (() => void)[] = [];

  constructor(config: SeriesFamilyConfig) {
    const { cap } = config;
    this.name = config.name;
    this.help = config.help;
    this.labelNames = config.labelNames;
    this.maxLabelSets = cap?.maxLabelSets ?? Number.POSITIVE_INFINITY;
    this.foldIndex = cap ? config.labelNames.indexOf(cap.label) : -1;
    this.foldedValue = cap?.foldedValue ?? '';
    this.foldCount = cap && new FoldCount(cap.folds, config.name);
    config.registry.registerMetric(this as never);
  }

  get size(): number {
    return this.byKey.size;
  }

  /**
   * Runs `update` each time the family is read (a page, a snapshot for the cluster primary),
   * before it is: for an owner that counts in a variable of its own on a path where even a
   * series' addition is too dear, and adds what it counted to its series then. Kept for the
   * family's life, like its series.
   */
  beforeRead(update: () => void): void {
    this.updates.push(update);
  }

  /** Brings the series up to date: the writers call it before they read them. */
  protected bringUpToDate(): void {
    for (const update of this.updates) update();
  }

  /**
   * The series for these label values, created on first use. Past the cap, new label sets
   * share one series per remaining labels with the fold label set to the folded value; such a
   * series counts every observation it takes as a fold.
   */
  series(labelValues: readonly string[]): Series {
    const key = labelValues.join('\u0000');
    const existing = this.byKey.get(key);
    if (existing) return existing;
    if (this.byKey.size >= this.maxLabelSets) return this.foldedSeries(labelValues);
    // A label set that arrives folded (a route an adapter could not name) counts its folds too:
    // every observation under the folded value shows in the fold counter.
    const folded = this.foldIndex >= 0 && labelValues[this.foldIndex] === this.foldedValue;
    return this.create(key, labelValues, folded ? this.foldCount : undefined);
  }

  /** A series of these labels; `foldCount` is set on folded series only. */
  protected abstract newSeries(labels: Record<string, string>, foldCount: FoldCount | undefined): Series;

  private foldedSeries(labelValues: readonly string[]): Series {
    const folded = labelValues.slice();
    folded[this.foldIndex] = this.foldedValue;
    const key = folded.join('\u0000');
    // Folded series may pass the cap: one per remaining label values, which come from
    // bounded sets (methods, statuses, operations), so the total stays bounded.
    return this.byKey.get(key) ?? this.create(key, folded, this.foldCount);
  }

  private create(key: string, labelValues: readonly string[], foldCount: FoldCount | undefined): Series {
    const labels: Record<string, string> = {};
    this.labelNames.forEach((name, index) => {
      labels[name] = labelValues[index] ?? '';
    });
    const series = this.newSeries(labels, foldCount);
    this.byKey.set(key, series);
    return series;
  }
}
