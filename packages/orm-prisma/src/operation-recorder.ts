import type { LabelSetCap } from '@promenade/core';
import { prismaErrorLabel } from './error-labels.js';
import { createLabelCap } from './label-caps.js';
import { PRISMA_METRIC_NAMES } from './metric-names.js';
import { defineModelMetrics, type ModelMetrics } from './model-metrics.js';
import { OPERATION_EFFECTS, type OperationEffect, rowsAffected } from './model-operations.js';
import type { ResolvedMetricsOptions } from './options.js';

interface Incrementer {
  inc(value?: number): void;
}
interface Observer {
  observe(value: number): void;
}

/**
 * The label children of one (model, operation), created the first time the pair is seen and
 * reused after: recording a call is two increments and one observation.
 */
export class OperationSeries {
  private readonly errorChildren = new Map<string, Incrementer>();

  constructor(
    private readonly metrics: ModelMetrics,
    private readonly errorCap: LabelSetCap,
    readonly model: string,
    readonly operation: string,
    private readonly calls: Incrementer,
    private readonly duration: Observer,
    private readonly effect: OperationEffect | undefined,
    private readonly rows: Incrementer | undefined,
  ) {}

  succeeded(result: unknown, startedAt: number): void {
    this.calls.inc();
    this.duration.observe((performance.now() - startedAt) / 1000);
    if (this.rows && this.effect) {
      const count = rowsAffected(this.effect.rows, result);
      if (count > 0) this.rows.inc(count);
    }
  }

  failed(error: unknown, startedAt: number): void {
    this.calls.inc();
    this.duration.observe((performance.now() - startedAt) / 1000);
    const label = prismaErrorLabel(error);
    let child = this.errorChildren.get(label);
    if (!child) {
      const labels = this.errorCap.admit({ model: this.model, operation: this.operation, error: label });
      child = this.metrics.errors.labels(labels);
      this.errorChildren.set(label, child);
    }
    child.inc();
  }
}

/** Hands out the cached series of each (model, operation) and starts declared models at zero. */
export class OperationRecorder {
  private readonly metrics: ModelMetrics;
  private readonly cap: LabelSetCap;
  private readonly errorCap: LabelSetCap;
  private readonly byModel = new Map<string, Map<string, OperationSeries>>();
  private readonly initialized = new Set<string>();

  constructor(options: ResolvedMetricsOptions) {
    this.metrics = defineModelMetrics(options);
    this.cap = createLabelCap(options, options.prefix + PRISMA_METRIC_NAMES.operations, 'model');
    this.errorCap = createLabelCap(options, options.prefix + PRISMA_METRIC_NAMES.operationErrors, 'error');
  }

  /** The model-level families of these models, at zero, so dashboards show them before any traffic. */
  initializeModels(models: Iterable<string>): void {
    const { reads, inserts, updates, upserts, deletes } = this.metrics;
    for (const model of models) {
      if (this.initialized.has(model)) continue;
      this.initialized.add(model);
      for (const family of [reads, inserts, updates, upserts, deletes]) family.labels({ model }).inc(0);
    }
  }

  series(model: string, operation: string): OperationSeries {
    let byOperation = this.byModel.get(model);
    if (!byOperation) {
      byOperation = new Map();
      this.byModel.set(model, byOperation);
    }
    return byOperation.get(operation) ?? this.create(byOperation, model, operation);
  }

  private create(
    byOperation: Map<string, OperationSeries>,
    rawModel: string,
    operation: string,
  ): OperationSeries {
    const { model } = this.cap.admit({ model: rawModel, operation });
    const effect = Object.hasOwn(OPERATION_EFFECTS, operation) ? OPERATION_EFFECTS[operation] : undefined;
    const series = new OperationSeries(
      this.metrics,
      this.errorCap,
      model,
      operation,
      this.metrics.operations.labels({ model, operation }),
      this.metrics.duration.labels({ model, operation }),
      effect,
      effect ? this.metrics[effect.family].labels({ model }) : undefined,
    );
    byOperation.set(operation, series);
    return series;
  }
}
