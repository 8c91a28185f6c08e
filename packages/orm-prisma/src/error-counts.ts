import type { CounterSeries } from '@promenade/core/adapter';
import type { FoldCount } from './label-caps.js';

/**
 * The error series of one call site (a model operation, an adapter method), which differ only
 * by the error label: each is resolved with the first error of its kind and reused after, and
 * an error that lands in a folded series is counted as a fold.
 */
export class ErrorCounts {
  private readonly byLabel = new Map<string, CounterSeries>();

  constructor(
    private readonly resolve: (label: string) => CounterSeries,
    private readonly folds: FoldCount,
  ) {}

  inc(label: string): void {
    let series = this.byLabel.get(label);
    if (!series) {
      series = this.resolve(label);
      this.byLabel.set(label, series);
    }
    series.inc();
    if (series.folded) this.folds.inc();
  }
}
