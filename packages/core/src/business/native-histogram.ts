import { Histogram, type HistogramConfiguration, type LabelValues } from 'prom-client';
import type { MetricFamily, NativeBuckets } from '../exposition/exposed-family.js';
import { ExponentialBuckets } from '../families/exponential-buckets.js';
import type { NativeHistogramSettings } from '../options/native-histogram-options.js';

/**
 * prom-client's histogram with native buckets per label set beside its own (none of its own when
 * native only: prom-client then counts every value in +Inf). Every way prom-client observes goes
 * through `observe` on the instance, except a child's from `labels()`, which is wrapped here.
 * The buckets ride on each `_count` sample of `get()`, as core's own histograms carry them.
 */
export class NativeHistogram<T extends string = string> extends Histogram<T> {
  readonly nativeHistogram: NativeHistogramSettings;
  private readonly exponential = new Map<string, ExponentialBuckets>();
  private readonly sortedNames: readonly string[];

  constructor(configuration: HistogramConfiguration<T>, nativeHistogram: NativeHistogramSettings) {
    super(configuration);
    this.nativeHistogram = nativeHistogram;
    this.sortedNames = [...(configuration.labelNames ?? [])].sort();
    // prom-client sets `observe` on the instance in its constructor, so it is wrapped there.
    const classic = this.observe;
    const withExemplars = (configuration as { enableExemplars?: boolean }).enableExemplars === true;
    this.observe = ((labels: LabelValues<T> | number, value?: number) => {
      (classic as (labels: unknown, value?: number) => void).call(this, labels, value);
      // prom-client threw already on a value it refuses (NaN, ±Infinity): it was not counted.
      if (typeof labels === 'number') this.bucketsOf({}).observe(labels);
      else if (withExemplars) {
        // prom-client's one call with exemplars on: `{ labels, value, exemplarLabels }`.
        const call = labels as { labels?: LabelValues<T>; value?: number };
        this.bucketsOf(call.labels ?? ({} as LabelValues<T>)).observe(call.value as number);
      } else this.bucketsOf(labels).observe(value as number);
    }) as Histogram<T>['observe'];
  }

  override labels(...args: unknown[]): Histogram.Internal<T> {
    const child = (super.labels as (...values: unknown[]) => Histogram.Internal<T>)(...args);
    const labels = this.labelsOf(args);
    return {
      ...child,
      observe: (value: number) => {
        child.observe(value);
        this.bucketsOf(labels).observe(value);
      },
    };
  }

  override remove(...args: unknown[]): void {
    (super.remove as (...values: unknown[]) => void)(...args);
    this.exponential.delete(this.keyOf(this.labelsOf(args)));
  }

  override reset(): void {
    super.reset();
    // prom-client's constructor resets before this class's fields exist.
    this.exponential?.clear();
  }

  override async get(): ReturnType<Histogram<T>['get']> {
    const result = await super.get();
    const family = result as unknown as MetricFamily;
    const countName = `${family.name}_count`;
    for (const sample of family.values) {
      if (sample.metricName !== countName) continue;
      (sample as { native?: NativeBuckets }).native = this.bucketsOf(
        (sample.labels ?? {}) as LabelValues<T>,
      ).buckets();
    }
    return result;
  }

  private labelsOf(args: readonly unknown[]): LabelValues<T> {
    if (typeof args[0] === 'object' && args[0] !== null) return args[0] as LabelValues<T>;
    const labels: Record<string, unknown> = {};
    (this as unknown as { labelNames: string[] }).labelNames.forEach((name, index) => {
      labels[name] = args[index];
    });
    return labels as LabelValues<T>;
  }

  private keyOf(labels: LabelValues<T>): string {
    const values = labels as Record<string, unknown>;
    return this.sortedNames.map((name) => String(values[name] ?? '')).join('\u0000');
  }

  private bucketsOf(labels: LabelValues<T>): ExponentialBuckets {
    const key = this.keyOf(labels);
    let buckets = this.exponential.get(key);
    if (!buckets) {
      buckets = new ExponentialBuckets(this.nativeHistogram);
      this.exponential.set(key, buckets);
    }
    return buckets;
  }
}
