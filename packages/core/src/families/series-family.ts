import type { Registry } from 'prom-client';

export interface SeriesFamilyConfig {
  name: string;
  help: string;
  labelNames: readonly string[];
  /** The label whose value is replaced by `foldedValue` once `maxSeries` is reached. */
  foldLabel: string;
  foldedValue: string;
  maxSeries: number;
  registry: Registry;
}

/**
 * A metric family that keeps its own storage and exports through prom-client's registry
 * contract: label sets are resolved to series objects once, and callers hold on to them, so
 * recording does no label hashing or validation. Subclasses say what a series is and how the
 * family renders. Series are never dropped (callers keep references), so the count is capped.
 */
export abstract class SeriesFamily<Series> {
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly maxSeries: number;
  private readonly foldIndex: number;
  private readonly foldedValue: string;
  protected readonly byKey = new Map<string, Series>();

  constructor(config: SeriesFamilyConfig) {
    this.name = config.name;
    this.help = config.help;
    this.labelNames = config.labelNames;
    this.maxSeries = config.maxSeries;
    this.foldIndex = config.labelNames.indexOf(config.foldLabel);
    this.foldedValue = config.foldedValue;
    config.registry.registerMetric(this as never);
  }

  get size(): number {
    return this.byKey.size;
  }

  /**
   * The series for these label values, created on first use. Past the cap, new label sets
   * share one series per remaining labels with the fold label set to the folded value.
   */
  series(labelValues: readonly string[]): Series {
    const key = labelValues.join('\u0000');
    const existing = this.byKey.get(key);
    if (existing) return existing;
    if (this.byKey.size >= this.maxSeries) return this.foldedSeries(labelValues);
    return this.create(key, labelValues, false);
  }

  protected abstract newSeries(labels: Record<string, string>, folded: boolean): Series;

  private foldedSeries(labelValues: readonly string[]): Series {
    const folded = labelValues.slice();
    folded[this.foldIndex] = this.foldedValue;
    const key = folded.join('\u0000');
    // Folded series may pass the cap: one per remaining label values, which come from
    // bounded sets (methods, statuses, operations), so the total stays bounded.
    return this.byKey.get(key) ?? this.create(key, folded, true);
  }

  private create(key: string, labelValues: readonly string[], folded: boolean): Series {
    const labels: Record<string, string> = {};
    this.labelNames.forEach((name, index) => {
      labels[name] = labelValues[index] ?? '';
    });
    const series = this.newSeries(labels, folded);
    this.byKey.set(key, series);
    return series;
  }
}
