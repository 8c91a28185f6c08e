import type { CounterSeries, SeriesCounter } from '@promenade/core/adapter';
import { PRISMA_METRIC_NAMES } from './metric-names.js';
import type { ResolvedMetricsOptions } from './options.js';
import { defineCounter } from './series-families.js';

/**
 * Where the folds of one capped family are counted: prisma_label_sets_folded_total{metric}.
 * The cap itself is the family's (`maxLabelSets` series, then the fold label takes the value
 * `<overflow>`); recorders add one here per observation that lands in a folded series, so the
 * loss shows. The series appears with the first fold, not before.
 */
export class FoldCount {
  private readonly folded: SeriesCounter;
  private readonly metric: string;
  private series: CounterSeries | undefined;

  constructor(options: ResolvedMetricsOptions, family: SeriesCounter) {
    this.folded = defineCounter(options, {
      name: PRISMA_METRIC_NAMES.folded,
      help: 'Observations whose label set was folded into "<overflow>" because the Prisma metric reached its label-set cap.',
      labelNames: ['metric'],
    });
    this.metric = family.name;
  }

  inc(): void {
    this.series ??= this.folded.series([this.metric]);
    this.series.inc();
  }
}
