import type { Registry } from 'prom-client';
import {
  type ExpositionFormat,
  escapeLabelValue,
  familyHeader,
  formatNumber,
  formatOpenMetricsBound,
  type MetricFamily,
} from './exposition-format.js';

/**
 * One label set of a SeriesHistogram. Adapters hold on to it, so observing is a bucket
 * search and three additions: no label hashing or validation per request.
 */
export class HistogramSeries {
  readonly labels: Readonly<Record<string, string>>;
  /** `name="value",...` escaped once, so a scrape does not escape per bucket line. */
  readonly labelText: string;
  /** True when this series stands for label sets folded by the cardinality cap. */
  readonly folded: boolean;
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  private readonly upperBounds: readonly number[];

  constructor(labels: Record<string, string>, upperBounds: readonly number[], folded: boolean) {
    this.labels = labels;
    this.labelText = Object.entries(labels)
      .map(([name, value]) => `${name}="${escapeLabelValue(value)}"`)
      .join(',');
    this.upperBounds = upperBounds;
    this.folded = folded;
    this.counts = new Float64Array(upperBounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.upperBounds;
    let index = 0;
    while (index < bounds.length && value > bounds[index]!) index++;
    this.counts[index]! += 1;
    this.sum += value;
    this.count += 1;
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
  }
}

export interface SeriesHistogramConfig {
  name: string;
  help: string;
  labelNames: readonly string[];
  buckets: readonly number[];
  /** The label whose value is replaced by `foldedValue` once `maxSeries` is reached. */
  foldLabel: string;
  foldedValue: string;
  maxSeries: number;
  registry: Registry;
}

/**
 * A histogram that exports through prom-client's registry contract (`get`, `reset`) but
 * keeps its own storage, with series created once and reused by reference.
 */
export class SeriesHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly upperBounds: readonly number[];
  readonly maxSeries: number;
  private readonly foldIndex: number;
  private readonly foldedValue: string;
  private readonly byKey = new Map<string, HistogramSeries>();

  constructor(config: SeriesHistogramConfig) {
    this.name = config.name;
    this.help = config.help;
    this.labelNames = config.labelNames;
    this.upperBounds = config.buckets;
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
  series(labelValues: readonly string[]): HistogramSeries {
    const key = labelValues.join('\u0000');
    const existing = this.byKey.get(key);
    if (existing) return existing;
    if (this.byKey.size >= this.maxSeries) return this.foldedSeries(labelValues);
    return this.create(key, labelValues, false);
  }

  private foldedSeries(labelValues: readonly string[]): HistogramSeries {
    const folded = labelValues.slice();
    folded[this.foldIndex] = this.foldedValue;
    const key = folded.join('\u0000');
    // Folded series may pass the cap: one per remaining label values, which come from
    // bounded sets (methods, statuses), so the total stays bounded.
    return this.byKey.get(key) ?? this.create(key, folded, true);
  }

  private create(key: string, labelValues: readonly string[], folded: boolean): HistogramSeries {
    const labels: Record<string, string> = {};
    this.labelNames.forEach((name, index) => {
      labels[name] = labelValues[index] ?? '';
    });
    const series = new HistogramSeries(labels, this.upperBounds, folded);
    this.byKey.set(key, series);
    return series;
  }

  /** The family in exposition format, from precomputed label text: the scrape's hot path. */
  render(format: ExpositionFormat): string {
    const bounds = this.upperBounds.map((bound) =>
      format === 'openmetrics' ? formatOpenMetricsBound(bound) : formatNumber(bound),
    );
    const bucket = `${this.name}_bucket{`;
    const sum = `${this.name}_sum{`;
    const count = `${this.name}_count{`;
    let out = familyHeader(this.name, this.help, 'histogram', format);
    for (const series of this.byKey.values()) {
      const labels = series.labelText;
      const separator = labels ? ',' : '';
      let cumulative = 0;
      for (let i = 0; i < bounds.length; i++) {
        cumulative += series.counts[i]!;
        out += `\n${bucket}${labels}${separator}le="${bounds[i]}"} ${cumulative}`;
      }
      out += `\n${bucket}${labels}${separator}le="+Inf"} ${series.count}`;
      out += `\n${sum}${labels}} ${formatNumber(series.sum)}`;
      out += `\n${count}${labels}} ${series.count}`;
    }
    return out;
  }

  async get(): Promise<MetricFamily & { aggregator: 'sum' }> {
    const values: { metricName: string; labels: Record<string, string | number>; value: number }[] = [];
    const bucketName = `${this.name}_bucket`;
    for (const series of this.byKey.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.upperBounds.length; i++) {
        cumulative += series.counts[i]!;
        values.push({
          metricName: bucketName,
          labels: { ...series.labels, le: this.upperBounds[i]! },
          value: cumulative,
        });
      }
      values.push({ metricName: bucketName, labels: { ...series.labels, le: '+Inf' }, value: series.count });
      values.push({ metricName: `${this.name}_sum`, labels: series.labels, value: series.sum });
      values.push({ metricName: `${this.name}_count`, labels: series.labels, value: series.count });
    }
    return { name: this.name, help: this.help, type: 'histogram', aggregator: 'sum', values };
  }

  /** Zeroes every series in place: adapters keep references, so series are never dropped. */
  reset(): void {
    for (const series of this.byKey.values()) series.reset();
  }
}
