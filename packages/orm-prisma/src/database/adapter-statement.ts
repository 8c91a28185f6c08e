import type { CounterSeries } from '@promenade/core/adapter';
import type { DatabaseSource, StatementSeries } from '@promenade/db';
import type { SettledCallSeries } from '../record-settled.js';
import { isConnectionError } from './driver-error-type.js';

const RECORDING_FAILED = 'recording a Prisma database call failed';

/** Rows a write touched: `executeRaw` resolves to the affected-row count, `queryRaw` (`RETURNING`) to the rows. */
function rowsOf(result: unknown): number {
  if (typeof result === 'number') return result;
  const rows = (result as { rows?: unknown } | null)?.rows;
  return Array.isArray(rows) ? rows.length : 0;
}

/**
 * One statement text's series, made once and kept: the database schema's operation series, and
 * for a write to a model, that model's rows counter. A failure to record is reported, never
 * thrown into Prisma's query.
 */
export class AdapterStatement implements SettledCallSeries {
  constructor(
    private readonly source: DatabaseSource,
    private readonly series: StatementSeries,
    private readonly rows: CounterSeries | undefined,
  ) {}

  succeeded(result: unknown, startedAt: number): void {
    try {
      this.series.succeeded(startedAt);
      if (this.rows) this.rows.inc(rowsOf(result));
    } catch (error) {
      this.source.failures.report(RECORDING_FAILED, error);
    }
  }

  failed(error: unknown, startedAt: number): void {
    try {
      this.series.failed(error, startedAt);
      // A query that failed for want of a connection (P1001) is a connection error too.
      if (isConnectionError(error)) this.source.connectionFailed();
    } catch (failure) {
      this.source.failures.report(RECORDING_FAILED, failure);
    }
  }
}
