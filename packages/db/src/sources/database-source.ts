import type { FailureReporter } from '@promenade/core/adapter';
import { resolveOptions } from '../options.js';
import { DatabaseRecorder, type DatabaseSystem } from '../recording/database-recorder.js';
import { errorTypeOf } from '../recording/error-type.js';
import { type PoolCounts, trackPool } from '../recording/pool-gauges.js';
import { tableOf } from '../statement/table.js';
import type { DatabaseMetricsOptions } from '../types.js';

export type { DatabaseSystem } from '../recording/database-recorder.js';
export type { PoolCounts } from '../recording/pool-gauges.js';

/** The series one statement records into, once it settled. */
export interface StatementSeries {
  /** The `operation` label: the statement's first keyword (`INSERT`), or `OTHER`. */
  readonly operation: { readonly label: string };
  succeeded(startedAt: number): void;
  failed(error: unknown, startedAt: number): void;
}

/**
 * What an instrumentation that is not one of this package's driver wrappers (an ORM's own
 * database layer, such as Prisma's driver adapters) records through, so that its statements,
 * transactions, connections and pools land on the same families as the drivers'. `startedAt`
 * is `performance.now()` from `perf_hooks`.
 */
export interface DatabaseSource {
  readonly system: DatabaseSystem;
  /** Where a failure to record goes: said, at most once a minute, never thrown into a query. */
  readonly failures: FailureReporter;
  /** The series a statement records into; a BEGIN, COMMIT or ROLLBACK counts its transaction when it settles. */
  statement(sql: string): StatementSeries;
  connectionCreated(): void;
  connectionFailed(): void;
  /** Reads the pool's counts at every scrape until the returned function is called. */
  trackPool(pool: PoolCounts): () => void;
}

/**
 * A source of database metrics on this package's schema, for one database (`db_system`,
 * `alias`). `errorType` names the errors the source's own layer wraps (read when the error
 * carries no SQLSTATE or driver code of its own); options are the drivers' options.
 */
export function createDatabaseSource(
  system: DatabaseSystem,
  options?: DatabaseMetricsOptions,
  errorType?: (error: Error) => string | undefined,
): DatabaseSource {
  const resolved = resolveOptions(options);
  const recorder = new DatabaseRecorder(resolved, system, errorType);
  return {
    system,
    failures: recorder.failures,
    statement: (sql) => recorder.statement(sql),
    connectionCreated: () => recorder.connectionCreated(),
    connectionFailed: () => recorder.connectionFailed(),
    trackPool: (pool) => trackPool(resolved, system, pool),
  };
}

/**
 * The `error_type` label the drivers give an error's facts: `sqlstate_<class>` for a SQLSTATE,
 * `SQLITE_<primary code>` for a SQLite code, a driver's or Node's code, else `fallback()` (or
 * the error's class name).
 */
export function databaseErrorType(
  facts: { sqlState?: unknown; code?: unknown; errcode?: unknown },
  fallback?: () => string | undefined,
): string {
  return errorTypeOf(facts, fallback);
}

/** The first table a statement names (after FROM, INTO, UPDATE, JOIN, TABLE), unquoted, schema included. */
export function statementTable(sql: string): string | undefined {
  return tableOf(sql);
}
