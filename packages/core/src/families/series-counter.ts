import {
  type ExpositionFormat,
  escapeLabelValue,
  familyHeader,
  formatNumber,
  type MetricFamily,
} from '../exposition/exposition-format.js';
import { SeriesFamily, type SeriesFamilyConfig } from './series-family.js';

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

export type SeriesCounterConfig = SeriesFamilyConfig;

/**
 * A counter that keeps its own storage (see SeriesFamily). A series exists, at 0, from the
 * moment it is asked for, so series meant to start at zero need no increment.
 */
export class SeriesCounter extends SeriesFamily<CounterSeries> {
  readonly type = 'counter';

  protected newSeries(labels: Record<string, string>, folded: boolean): CounterSeries {
    return new CounterSeries(labels, folded);
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

  /** The family's values now; `get()` is the registry's asynchronous form of it. */
  snapshot(): MetricFamily & { aggregator: 'sum' } {
    const values = Array.from(this.byKey.values(), (series) => ({
      labels: series.labels,
      value: series.value,
    }));
    return { name: this.name, help: this.help, type: 'counter', aggregator: 'sum', values };
  }

  async get(): Promise<MetricFamily & { aggregator: 'sum' }> {
    return this.snapshot();
  }

  /** Zeroes every series in place: callers keep references, so series are never dropped. */
  reset(): void {
    for (const series of this.byKey.values()) series.value = 0;
  }
}
