import type { CounterSeries, HistogramSeries } from '@promenade/core/adapter';
import { ErrorCounts } from '../error-counts.js';
import type { ResolvedMetricsOptions } from '../options.js';
import type { SettledCallSeries } from '../record-settled.js';
import { defineModelMetrics, type ModelMetrics } from './model-metrics.js';
import { OPERATION_EFFECTS, type OperationEffect, rowsAffected } from './operation-effects.js';
import { prismaErrorLabel } from './prisma-error-label.js';

/**
 * The series of one (model, operation), resolved the first time the pair is seen and reused
 * after: recording a call is a few additions and one bucket search, with no label hashing.
 */
export class OperationSeries implements SettledCallSeries {
  private rows: CounterSeries | undefined;

  constructor(
    private readonly recorder: OperationRecorder,
    private readonly model: string,
    private readonly calls: CounterSeries,
    private readonly duration: HistogramSeries,
    private readonly effect: OperationEffect | undefined,
    private readonly errors: ErrorCounts,
  ) {}

  succeeded(result: unknown, startedAt: number): void {
    this.called(startedAt);
    const effect = this.effect;
    if (effect === undefined) return;
    const count = rowsAffected(effect.rows, result);
    if (count === 0) return;
    // Made with the first row, so only declared models show a rows series at 0.
    this.rows ??= this.recorder.rowsSeries(effect, this.model);
    this.rows.inc(count);
  }

  failed(error: unknown, startedAt: number): void {
    this.called(startedAt);
    this.errors.inc(prismaErrorLabel(error));
  }

  private called(startedAt: number): void {
    this.calls.inc();
    this.duration.observe((performance.now() - startedAt) / 1000);
  }
}

/** Hands out the cached series of each (model, operation) and starts declared models at zero. */
export class OperationRecorder {
  private readonly metrics: ModelMetrics;
  private readonly byModel = new Map<string, Map<string, OperationSeries>>();

  /** `rows`: false when the adapter counts the written rows, so they are not counted twice. */
  constructor(
    options: ResolvedMetricsOptions,
    private readonly rows = true,
  ) {
    this.metrics = defineModelMetrics(options);
  }

  /** The rows families of these models, at zero, so dashboards show them before any traffic. */
  initializeModels(models: Iterable<string>): void {
    const { reads, inserts, updates, upserts, deletes } = this.metrics;
    const families = this.rows ? [reads, inserts, updates, upserts, deletes] : [reads];
    for (const model of models) {
      for (const family of families) family.series([model]);
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

  rowsSeries(effect: OperationEffect, model: string): CounterSeries {
    return this.metrics[effect.family].series([model]);
  }

  private create(
    byOperation: Map<string, OperationSeries>,
    rawModel: string,
    operation: string,
  ): OperationSeries {
    // The operations family holds the cap: the other families take the model it admitted.
    const calls = this.metrics.operations.series([rawModel, operation]);
    const model = calls.labels.model!;
    const known = Object.hasOwn(OPERATION_EFFECTS, operation) ? OPERATION_EFFECTS[operation] : undefined;
    const effect = this.rows || known?.family === 'reads' ? known : undefined;
    const { duration, errors } = this.metrics;
    const series = new OperationSeries(
      this,
      model,
      calls,
      duration.series([model, operation]),
      effect,
      new ErrorCounts((error) => errors.series([model, operation, error])),
    );
    byOperation.set(operation, series);
    return series;
  }
}
