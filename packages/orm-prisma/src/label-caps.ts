import { counter, LabelSetCap } from '@promenade/core';
import { OVERFLOW_VALUE, PRISMA_METRIC_NAMES } from './metric-names.js';
import type { ResolvedMetricsOptions } from './options.js';

/**
 * A cap on one metric's label sets. Past it, `foldLabel` takes the value `<overflow>` and the
 * fold is counted in prisma_label_sets_folded_total{metric}, so the loss shows. The cap is
 * consulted when a label set is first seen, never per query.
 */
export function createLabelCap(
  options: ResolvedMetricsOptions,
  metricName: string,
  foldLabel: string,
): LabelSetCap {
  const folded = counter({
    name: options.prefix + PRISMA_METRIC_NAMES.folded,
    help: 'Observations whose label set was folded into "<overflow>" because the Prisma metric reached its label-set cap.',
    labelNames: ['metric'],
    registry: options.registry,
  }).labels({ metric: metricName });
  return new LabelSetCap(options.maxLabelSets, foldLabel, OVERFLOW_VALUE, () => folded.inc());
}
