import type { FailureReporter } from '@promenade/core/adapter';
import { resolveOptions } from '../options.js';
import { now } from '../recording/clock.js';
import { DatabaseRecorder } from '../recording/database-recorder.js';
import type { OperationSeries } from '../recording/operation-series.js';
import { recordFailed, recordSucceeded } from '../recording/settle.js';
import type { DatabaseMetricsOptions } from '../types.js';
import { markInstrumented, notA } from './instrumented-once.js';

/** A prepared statement of better-sqlite3 or node:sqlite: both run synchronously. */
export interface SqliteStatementLike {
  run(...params: never[]): unknown;
  get(...params: never[]): unknown;
  all(...params: never[]): unknown;
  iterate(...params: never[]): Iterator<unknown>;
}

/** better-sqlite3's Database or node:sqlite's DatabaseSync, as far as the wrapper uses them. */
export interface SqliteDatabaseLike {
  prepare(sql: string, ...rest: never[]): unknown;
  exec(sql: string): unknown;
}

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** Runs `original` as the statement it is, recording its outcome. */
function timedMethod(original: AnyFunction, series: OperationSeries, failures: FailureReporter): AnyFunction {
  return function timed(this: unknown) {
    const startedAt = now();
    let result: unknown;
    try {
      // biome-ignore lint/complexity/noArguments: the statement's parameters, whatever their number
      result = original.apply(this, arguments as unknown as unknown[]);
    } catch (error) {
      recordFailed(series, error, startedAt, failures);
      throw error;
    }
    recordSucceeded(series, startedAt, failures);
    return result;
  };
}

/**
 * An iteration is one operation from `iterate()` to its last row (or to the loop that leaves
 * early): the statement holds the database's cursor all that time.
 */
function timedIterate(
  original: AnyFunction,
  series: OperationSeries,
  failures: FailureReporter,
): AnyFunction {
  return function iterate(this: unknown) {
    const startedAt = now();
    let rows: Iterator<unknown>;
    try {
      // biome-ignore lint/complexity/noArguments: the statement's parameters, whatever their number
      rows = original.apply(this, arguments as unknown as unknown[]) as Iterator<unknown>;
    } catch (error) {
      recordFailed(series, error, startedAt, failures);
      throw error;
    }
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      if (error === undefined) recordSucceeded(series, startedAt, failures);
      else recordFailed(series, error, startedAt, failures);
    };
    return {
      next(...args: [] | [unknown]) {
        let step: IteratorResult<unknown>;
        try {
          step = rows.next(...args);
        } catch (error) {
          finish(error);
          throw error;
        }
        if (step.done) finish();
        return step;
      },
      return(value?: unknown) {
        finish();
        return rows.return ? rows.return(value) : { done: true, value };
      },
      [Symbol.iterator]() {
        return this;
      },
    };
  };
}

/** Replaces run/get/all/iterate on this one statement with methods that time it. */
function instrumentStatement(
  statement: SqliteStatementLike,
  series: OperationSeries,
  failures: FailureReporter,
): void {
  const target = statement as unknown as Record<string, AnyFunction>;
  for (const method of ['run', 'get', 'all'] as const) {
    if (typeof target[method] === 'function') target[method] = timedMethod(target[method], series, failures);
  }
  if (typeof target.iterate === 'function') target.iterate = timedIterate(target.iterate, series, failures);
}

const TRANSACTION_VARIANTS = ['default', 'deferred', 'immediate', 'exclusive'] as const;

/**
 * better-sqlite3's `db.transaction(fn)` runs its BEGIN and COMMIT through statements it prepares
 * on the native database, out of `prepare`'s reach: the transaction function is counted instead,
 * outermost calls only (a nested call is a savepoint).
 */
function instrumentTransactions(
  db: SqliteDatabaseLike & { inTransaction?: boolean },
  recorder: DatabaseRecorder,
): void {
  const transaction = (db as { transaction?: unknown }).transaction;
  if (typeof transaction !== 'function') return;
  const counted = (variant: AnyFunction): AnyFunction =>
    function countedTransaction(this: unknown) {
      if (db.inTransaction) {
        // biome-ignore lint/complexity/noArguments: the transaction function's own arguments
        return variant.apply(this, arguments as unknown as unknown[]);
      }
      recorder.transactionStatement('begin', true);
      try {
        // biome-ignore lint/complexity/noArguments: the transaction function's own arguments
        const result = variant.apply(this, arguments as unknown as unknown[]);
        recorder.transactionStatement('commit', true);
        return result;
      } catch (error) {
        recorder.transactionStatement('rollback', true);
        throw error;
      }
    };
  (db as unknown as { transaction: AnyFunction }).transaction = function transactionCounted(
    this: unknown,
    fn: unknown,
  ) {
    const original = (transaction as AnyFunction).call(this, fn) as AnyFunction & Record<string, AnyFunction>;
    const wrapped: Record<string, AnyFunction> = {};
    for (const name of TRANSACTION_VARIANTS) wrapped[name] = counted(original[name] ?? original);
    // Each variant carries the others, and the database, as better-sqlite3's do.
    const properties: PropertyDescriptorMap = {
      database: { value: (original as { database?: unknown }).database },
    };
    for (const name of TRANSACTION_VARIANTS) properties[name] = { value: wrapped[name] };
    for (const name of TRANSACTION_VARIANTS) Object.defineProperties(wrapped[name]!, properties);
    return wrapped.default;
  };
}

/**
 * Instruments a SQLite database object: every statement it prepares from now on (the
 * application's, an ORM's) is timed at each run, `exec` scripts as one operation labelled by
 * their first keyword, and better-sqlite3's `db.transaction` functions are counted. A
 * statement that does not compile is a failed operation: SQLite reports syntax errors and
 * missing tables when it prepares.
 */
/**
 * What both SQLite drivers' calls do: check that `db` is a database of the kind named, resolve
 * the options, mark it (once) and instrument it.
 */
export function instrumentSqlite<T extends SqliteDatabaseLike>(
  db: T,
  options: DatabaseMetricsOptions | undefined,
  kind: string,
): T {
  if (
    db === null ||
    typeof db !== 'object' ||
    typeof db.prepare !== 'function' ||
    typeof db.exec !== 'function'
  ) {
    throw notA(`a ${kind}`, db);
  }
  const resolved = resolveOptions(options);
  markInstrumented(db, kind);
  instrumentSqliteDatabase(db, new DatabaseRecorder(resolved, 'sqlite'));
  return db;
}

function instrumentSqliteDatabase(db: SqliteDatabaseLike, recorder: DatabaseRecorder): void {
  const { failures } = recorder;
  const prepare = db.prepare as unknown as AnyFunction;
  db.prepare = function prepareTimed(this: unknown, sql: string) {
    const series = recorder.statement(typeof sql === 'string' ? sql : '');
    const startedAt = now();
    let statement: SqliteStatementLike;
    try {
      // biome-ignore lint/complexity/noArguments: better-sqlite3 passes internal arguments of its own
      statement = prepare.apply(this, arguments as unknown as unknown[]) as SqliteStatementLike;
    } catch (error) {
      recordFailed(series, error, startedAt, failures);
      throw error;
    }
    instrumentStatement(statement, series, failures);
    return statement;
  } as SqliteDatabaseLike['prepare'];
  const exec = db.exec as unknown as AnyFunction;
  db.exec = function execTimed(this: unknown, sql: string) {
    const series = recorder.statement(typeof sql === 'string' ? sql : '');
    // biome-ignore lint/complexity/noArguments: passed on as they are
    return timedMethod(exec, series, failures).apply(this, arguments as unknown as unknown[]);
  } as SqliteDatabaseLike['exec'];
  instrumentTransactions(db, recorder);
}
