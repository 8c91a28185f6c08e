import type { CounterSeries, HistogramSeries } from '@promenade/core/adapter';
import type { Operation, TransactionEffect } from '../statement/operation.js';
import { now } from './clock.js';

/** What an operation's series hand to their database's recorder. */
export interface DatabaseSink {
  errorType(error: unknown): string;
  errorSeries(operation: string, type: string): CounterSeries;
  transactionStatement(effect: TransactionEffect, succeeded: boolean): void;
}

/**
 * The series of one (operation, table) of one database: a statement that settles costs one
 * bucket search, and a failed one a look-up of its error type's counter, made with the first
 * error of that type.
 */
export class OperationSeries {
  private readonly errorsByType = new Map<string, CounterSeries>();

  constructor(
    private readonly recorder: DatabaseSink,
    readonly operation: Operation,
    private readonly duration: HistogramSeries,
  ) {}

  succeeded(startedAt: number): void {
    this.duration.observe((now() - startedAt) / 1000);
    const effect = this.operation.transaction;
    if (effect !== 'none') this.recorder.transactionStatement(effect, true);
  }

  failed(error: unknown, startedAt: number): void {
    this.duration.observe((now() - startedAt) / 1000);
    const type = this.recorder.errorType(error);
    let errors = this.errorsByType.get(type);
    if (!errors) {
      errors = this.recorder.errorSeries(this.operation.label, type);
      this.errorsByType.set(type, errors);
    }
    errors.inc();
    const effect = this.operation.transaction;
    if (effect !== 'none') this.recorder.transactionStatement(effect, false);
  }
}
