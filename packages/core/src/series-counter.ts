import type { Registry } from 'prom-client';
import {
  type ExpositionFormat,
  escapeLabelValue,
  familyHeader,
  formatNumber,
  type MetricFamily,
} from './exposition-format.js';

/**
 * One label set of a SeriesCounter. Callers hold on to it, so counting is one addition:
 * no label hashing or validation per call.
 */
export class CounterSeries {
  readonly labels: Readonly<Record<string, string>>;
  /** `{name="value",...}` escaped once, so a scrape does not escape per line. */
  readonly labelText: string;
  /** True when this series stands for label sets folded by the cardinality cap. */
  readonly folded: boolean;
  value = 0;

  constructor(labels: Record<string, string>, folded: boolean) {
    this.labels = labels;
    const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabelValue(value)}"`);
    this.labelText = pairs.length > 0 ? `{${pairs.join(',')}}` : '';
    this.folded = folded;
  }

  /** Adds `amount` (1 by default). Amounts come from the library's own code: never negative. */
  inc(amount = 1): void {
    this.value += amount;
  }
}

export interface SeriesCounterConfig {
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
 * A counter that exports through prom-client's registry contract (`get`, `reset`) but keeps
 * its own storage, with series created once and reused by reference. A series exists, at 0,
 * from the moment it is asked for, so series meant to start at zero need no increment.
 */
export class SeriesCounter {
  readonly type = 'counter';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly maxSeries: number;
  private readonly foldIndex: number;
  private readonly foldedValue: string;
  private readonly byKey = new Map<string, CounterSeries>();

  constructor(config: SeriesCounterConfig) {
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
  series(labelValues: readonly string[]): CounterSeries {
    const key = labelValues.join('\u0000');
    const existing = this.byKey.get(key);
    if (existing) return existing;
    if (this.byKey.size >= this.maxSeries) return this.foldedSeries(labelValues);
    return this.create(key, labelValues, false);
  }

  private foldedSeries(labelValues: readonly string[]): CounterSeries {
    const folded = labelValues.slice();
    folded[this.foldIndex] = this.foldedValue;
    const key = folded.join('\u0000');
    return this.byKey.get(key) ?? this.create(key, folded, true);
  }

  private create(key: string, labelValues: readonly string[], folded: boolean): CounterSeries {
    const labels: Record<string, string> = {};
    this.labelNames.forEach((name, index) => {
      labels[name] = labelValues[index] ?? '';
    });
    const series = new CounterSeries(labels, folded);
    this.byKey.set(key, series);
    return series;
  }

  /** The family in exposition format, from precomputed label text: the scrape's hot path. */
  render(format: ExpositionFormat): string {
    // OpenMetrics names the family without `_total` and every sample with it.
    const sample = format === 'openmetrics' ? `${this.name.replace(/_total$/, '')}_total` : this.name;
    let out = familyHeader(this.name, this.help, 'counter', format);
    for (const series of this.byKey.values()) {
      out += `\n${sample}${series.labelText} ${formatNumber(series.value)}`;
    }
    return out;
  }

  async get(): Promise<MetricFamily & { aggregator: 'sum' }> {
    const values = Array.from(this.byKey.values(), (series) => ({
      labels: series.labels,
      value: series.value,
    }));
    return { name: this.name, help: this.help, type: 'counter', aggregator: 'sum', values };
  }

  /** Zeroes every series in place: callers keep references, so series are never dropped. */
  reset(): void {
    for (const series of this.byKey.values()) series.value = 0;
  }
}
