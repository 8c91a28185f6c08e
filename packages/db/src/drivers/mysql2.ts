import { type ResolvedOptions, resolveOptions } from '../options.js';
import { now } from '../recording/clock.js';
import { DatabaseRecorder } from '../recording/database-recorder.js';
import type { OperationSeries } from '../recording/operation-series.js';
import { trackPool } from '../recording/pool-gauges.js';
import { recordFailed, recordSucceeded } from '../recording/settle.js';
import type { DatabaseMetricsOptions } from '../types.js';
import { markInstrumented, notA } from './instrumented-once.js';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** A mysql2 connection (callback API), as far as the wrapper uses it. */
export interface Mysql2ConnectionLike {
  query(...args: never[]): unknown;
  execute(...args: never[]): unknown;
  once(event: 'connect', listener: () => void): unknown;
}

/** A mysql2 pool (callback API), as far as the wrapper uses it. */
export interface Mysql2PoolLike {
  query(...args: never[]): unknown;
  execute(...args: never[]): unknown;
  getConnection(...args: never[]): unknown;
  on(event: 'connection', listener: (connection: Mysql2ConnectionLike) => void): unknown;
  end(...args: never[]): unknown;
}

/** What `mysql2/promise` hands out: each wraps a callback-API object (`.connection`, `.pool`). */
export type Mysql2Like =
  | Mysql2ConnectionLike
  | Mysql2PoolLike
  | { readonly connection: Mysql2ConnectionLike }
  | { readonly pool: Mysql2PoolLike };

/** A command mysql2 returns from query/execute: its callback is `onResult`, else it emits. */
interface CommandLike {
  onResult?: AnyFunction;
  emit(event: string | symbol, ...args: unknown[]): boolean;
  once(event: string, listener: AnyFunction): unknown;
}

function isPool(target: object): target is Mysql2PoolLike {
  return typeof (target as Partial<Mysql2PoolLike>).getConnection === 'function';
}

function isConnection(target: object): target is Mysql2ConnectionLike {
  return typeof (target as Partial<Mysql2ConnectionLike>).query === 'function' && !isPool(target);
}

/** The command's outcome, recorded once, whichever way mysql2 reports it. */
function watchCommand(
  command: CommandLike,
  series: OperationSeries,
  startedAt: number,
  recorder: DatabaseRecorder,
) {
  const { failures } = recorder;
  const onResult = command.onResult;
  if (typeof onResult === 'function') {
    command.onResult = function settled(this: unknown, error: unknown) {
      if (error) recordFailed(series, error, startedAt, failures);
      else recordSucceeded(series, startedAt, failures);
      // biome-ignore lint/complexity/noArguments: mysql2's arguments (rows, fields) passed on as they are
      return onResult.apply(this, arguments as unknown as unknown[]);
    };
    return;
  }
  // Event mode (a streamed query): an 'error' listener would swallow an error the application
  // does not listen for, so the command's own emit is watched instead.
  let failed = false;
  const emit = command.emit;
  command.emit = function emitWatched(this: unknown, event: string | symbol, ...args: unknown[]) {
    if (event === 'error' && !failed) {
      failed = true;
      recordFailed(series, args[0], startedAt, failures);
    } else if (event === 'end' && !failed) {
      failed = true;
      recordSucceeded(series, startedAt, failures);
    }
    return emit.call(this, event, ...args);
  };
}

/** Replaces `query` and `execute` on this one connection with methods that time each statement. */
function instrumentConnection(connection: Mysql2ConnectionLike, recorder: DatabaseRecorder): void {
  const target = connection as unknown as Record<string, AnyFunction>;
  for (const method of ['query', 'execute'] as const) {
    const original = target[method];
    if (typeof original !== 'function') continue;
    target[method] = function timed(this: unknown, sql: unknown) {
      const text =
        typeof sql === 'string'
          ? sql
          : sql !== null && typeof sql === 'object'
            ? (sql as { sql?: unknown }).sql
            : undefined;
      // biome-ignore lint/complexity/noArguments: mysql2's arguments, whatever their number, passed on as they are
      if (typeof text !== 'string') return original.apply(this, arguments as unknown as unknown[]);
      const series = recorder.statement(text);
      const startedAt = now();
      let command: unknown;
      try {
        // biome-ignore lint/complexity/noArguments: as above
        command = original.apply(this, arguments as unknown as unknown[]);
      } catch (error) {
        recordFailed(series, error, startedAt, recorder.failures);
        throw error;
      }
      if (
        command !== null &&
        typeof command === 'object' &&
        typeof (command as CommandLike).emit === 'function'
      ) {
        watchCommand(command as CommandLike, series, startedAt, recorder);
      }
      return command;
    };
  }
}

/** mysql2 keeps its pool's counts in queues of its own; there is no public getter. */
function queueLength(pool: Mysql2PoolLike, field: string): number {
  const queue = (pool as unknown as Record<string, { length?: unknown } | undefined>)[field];
  return typeof queue?.length === 'number' ? queue.length : 0;
}

function instrumentPool(pool: Mysql2PoolLike, recorder: DatabaseRecorder, options: ResolvedOptions): void {
  pool.on('connection', (connection) => {
    recorder.connectionCreated();
    instrumentConnection(connection, recorder);
  });
  // pool.query and pool.execute check a connection out through getConnection too.
  const getConnection = pool.getConnection as unknown as AnyFunction;
  pool.getConnection = function getConnectionCounted(this: unknown, callback: AnyFunction) {
    return getConnection.call(this, function got(this: unknown, error: unknown) {
      if (error) recorder.connectionFailed();
      // biome-ignore lint/complexity/noArguments: mysql2's arguments (connection) passed on as they are
      return callback.apply(this, arguments as unknown as unknown[]);
    });
  } as unknown as Mysql2PoolLike['getConnection'];
  const untrack = trackPool(options, recorder.system, {
    total: () => queueLength(pool, '_allConnections'),
    idle: () => queueLength(pool, '_freeConnections'),
    pending: () => queueLength(pool, '_connectionQueue'),
  });
  const end = pool.end as unknown as AnyFunction;
  pool.end = function endPool(this: unknown) {
    untrack();
    // biome-ignore lint/complexity/noArguments: mysql2's arguments passed on as they are
    return end.apply(this, arguments as unknown as unknown[]);
  } as unknown as Mysql2PoolLike['end'];
}

/** The callback-API object behind what the application holds (`mysql2/promise` wraps one). */
function callbackApiOf(target: Mysql2Like): Mysql2PoolLike | Mysql2ConnectionLike | undefined {
  const inner = (target as { pool?: unknown }).pool ?? (target as { connection?: unknown }).connection;
  const core = inner !== null && typeof inner === 'object' ? inner : target;
  return isPool(core) || isConnection(core) ? core : undefined;
}

/**
 * Instruments one mysql2 pool or connection, from the callback API (`mysql2`) or the promise API
 * (`mysql2/promise`, whose objects wrap a callback one), and returns it: statements timed by
 * operation, errors by SQLSTATE class or mysql2's code, START TRANSACTION/COMMIT/ROLLBACK
 * (`beginTransaction()`, `commit()`, `rollback()` send them) counted as transactions, a pool's
 * new connections and failures to get one, and its connection counts read at scrape time. Only
 * this object changes, and each connection its pool opens after the call. `db_system` is
 * `mysql` for MySQL and MariaDB alike.
 *
 * @example
 * const pool = instrumentMysql2(mysql.createPool(url), { alias: 'default' });
 */
export function instrumentMysql2<T extends Mysql2Like>(target: T, options?: DatabaseMetricsOptions): T {
  const core = target !== null && typeof target === 'object' ? callbackApiOf(target) : undefined;
  if (!core) throw notA('a mysql2 pool or connection', target);
  const resolved = resolveOptions(options);
  markInstrumented(core, isPool(core) ? 'mysql2 pool' : 'mysql2 connection');
  const recorder = new DatabaseRecorder(resolved, 'mysql');
  if (isPool(core)) instrumentPool(core, recorder, resolved);
  else {
    // A connection starts connecting when it is created: its handshake may be over already.
    if ((core as { authorized?: unknown }).authorized === true) recorder.connectionCreated();
    else core.once('connect', () => recorder.connectionCreated());
    instrumentConnection(core, recorder);
  }
  return target;
}
