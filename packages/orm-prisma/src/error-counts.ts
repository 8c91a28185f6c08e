import type { CounterSeries } from '@promenade/core/adapter';

/**
 * The error series of one call site (a model operation, an adapter method), which differ only
 * by the error label: each is resolved with the first error of its kind and reused after (a
 * series the cap folded counts its own folds).
 */
export class ErrorCounts {
  private readonly byLabel = new Map<string, CounterSeries>();

  constructor(private readonly resolve: (label: string) => CounterSeries) {}

  inc(label: string): void {
    let series = this.byLabel.get(label);
    if (!series) {
      series = this.resolve(label);
      this.byLabel.set(label, series);
    }
    series.inc();
  }
}
