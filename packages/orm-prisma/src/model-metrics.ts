import { counter, histogram } from '@promenade/core';
import type { Counter, Histogram } from 'prom-client';
import { PRISMA_METRIC_NAMES } from './metric-names.js';
import type { ResolvedMetricsOptions } from './options.js';

/** The model-operation families of one (registry, prefix), defined idempotently through core. */
export interface ModelMetrics {
  readonly operations: Counter<'model' | 'operation'>;
  readonly duration: Histogram<'model' | 'operation'>;
  readonly errors: Counter<'model' | 'operation' | 'error'>;
  readonly reads: Counter<'model'>;
  readonly inserts: Counter<'model'>;
  readonly updates: Counter<'model'>;
  readonly upserts: Counter<'model'>;
  readonly deletes: Counter<'model'>;
}

export function defineModelMetrics(options: ResolvedMetricsOptions): ModelMetrics {
  const { registry, prefix, buckets } = options;
  const names = PRISMA_METRIC_NAMES;
  const perModel = (name: string, help: string) =>
    counter({ name: prefix + name, help, labelNames: ['model'], registry });
  return {
    operations: counter({
      name: prefix + names.operations,
      help: 'Prisma model operations called, failed ones included, by model and operation.',
      labelNames: ['model', 'operation'],
      registry,
    }),
    duration: histogram({
      name: prefix + names.operationDuration,
      help: 'Duration of Prisma model operations, from the call to the result or error, in seconds.',
      labelNames: ['model', 'operation'],
      buckets,
      registry,
    }),
    errors: counter({
      name: prefix + names.operationErrors,
      help: 'Prisma model operations that failed, by Prisma error code (P2002...) or else error type.',
      labelNames: ['model', 'operation', 'error'],
      registry,
    }),
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
