import type { SeriesCounter, SeriesHistogram } from '@promenade/core/adapter';
import { PRISMA_METRIC_NAMES } from '../metric-names.js';
import type { ResolvedMetricsOptions } from '../options.js';
import { defineCounter, defineHistogram } from '../series-families.js';

/** The model-operation families of one (registry, prefix), defined once and shared. */
export interface ModelMetrics {
  /** Labels (model, operation); the one family whose cap folds `model`. */
  readonly operations: SeriesCounter;
  /** Labels (model, operation), as `operations` admitted them. */
  readonly duration: SeriesHistogram;
  /** Labels (model, operation, error). */
  readonly errors: SeriesCounter;
  /** Labels (model): the rows families. */
  readonly reads: SeriesCounter;
  readonly inserts: SeriesCounter;
  readonly updates: SeriesCounter;
  readonly upserts: SeriesCounter;
  readonly deletes: SeriesCounter;
}

/** The rows families (labels: model), which the extension and the adapter's model counts share. */
export type RowsFamilies = Pick<ModelMetrics, 'reads' | 'inserts' | 'updates' | 'upserts' | 'deletes'>;

export function defineRowsFamilies(options: ResolvedMetricsOptions): RowsFamilies {
  const names = PRISMA_METRIC_NAMES;
  const perModel = (name: string, help: string) =>
    defineCounter(options, { name, help, labelNames: ['model'] });
  return {
    reads: perModel(
      names.reads,
      'Successful Prisma read operations (find*, count, aggregate, groupBy) by model.',
    ),
    inserts: perModel(names.inserts, 'Rows inserted through Prisma (create, createMany*) by model.'),
    updates: perModel(names.updates, 'Rows updated through Prisma (update, updateMany*) by model.'),
    upserts: perModel(names.upserts, 'Rows inserted or updated through Prisma upsert by model.'),
    deletes: perModel(names.deletes, 'Rows deleted through Prisma (delete, deleteMany) by model.'),
  };
}

export function defineModelMetrics(options: ResolvedMetricsOptions): ModelMetrics {
  const names = PRISMA_METRIC_NAMES;
  return {
    operations: defineCounter(options, {
      name: names.operations,
      help: 'Prisma model operations called, failed ones included, by model and operation.',
      labelNames: ['model', 'operation'],
      foldLabel: 'model',
    }),
    duration: defineHistogram(options, {
      name: names.operationDuration,
      help: 'Duration of Prisma model operations, from the call to the result or error, in seconds.',
      labelNames: ['model', 'operation'],
    }),
    errors: defineCounter(options, {
      name: names.operationErrors,
      help: 'Prisma model operations that failed, by Prisma error code (P2002...) or else error type.',
      labelNames: ['model', 'operation', 'error'],
      foldLabel: 'error',
    }),
    ...defineRowsFamilies(options),
  };
}
