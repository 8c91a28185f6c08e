import { type ResolvedOptions, resolveOptions } from '../options.js';
import { now } from '../recording/clock.js';
import { DatabaseRecorder } from '../recording/database-recorder.js';
import { trackPool } from '../recording/pool-gauges.js';
import { recordFailed, settleCallback, settlePromise } from '../recording/settle.js';
import type { DatabaseMetricsOptions } from '../types.js';
import { markInstrumented, notA } from './instrumented-once.js';

/** node-postgres' Client, as far as the wrapper uses it (declared here: pg is not a dependency). */
export interface PgClientLike {
  query(...args: never[]): unknown;
  connect(...args: never[]): unknown;
}

/** node-postgres' Pool (pg-pool), as far as the wrapper uses it. */
export interface PgPoolLike extends PgClientLike {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  on(event: 'connect', listener: (client: PgClientLike) => void): unknown;
  end(...args: never[]): unknown;
}

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** pg's own errors carry no code: these messages are its, fixed strings, never the statement's. */
const PG_ERRORS: Readonly<Record<string, string>> = {
  'Query read timeout': 'query_timeout',
  'timeout exceeded when trying to connect': 'connect_timeout',
  'Connection terminated unexpectedly': 'connection_terminated',
  'Connection terminated': 'connection_terminated',
  'Connection terminated due to connection timeout': 'connect_timeout',
  'Client has encountered a connection error and is not queryable': 'connection_error',
  'Client was closed and is not queryable': 'client_closed',
};

const pgErrorType = (error: Error): string | undefined => PG_ERRORS[error.message];

function isPool(target: PgClientLike): target is PgPoolLike {
  return typeof (target as Partial<PgPoolLike>).totalCount === 'number';
}

/** Replaces `client.query` (on the object, not its class) with one that times every statement. */
function instrumentQuery(client: PgClientLike, recorder: DatabaseRecorder): void {
  const original = client.query as unknown as AnyFunction;
  const { failures } = recorder;
  const query = function query(this: unknown, config: unknown, values?: unknown, callback?: unknown) {
    const text =
      typeof config === 'string'
        ? config
        : config !== null &&
            typeof config === 'object' &&
            typeof (config as { submit?: unknown }).submit !== 'function'
          ? (config as { text?: unknown }).text
          : undefined;
    // Submittables (cursors, streams) report through their own events: passed on unrecorded.
    // biome-ignore lint/complexity/noArguments: pg's arguments, whatever their number, passed on as they are
    if (typeof text !== 'string') return original.apply(this, arguments as unknown as unknown[]);
    const series = recorder.statement(text);
    const startedAt = now();
    try {
      if (typeof values === 'function') {
        return original.call(
          this,
          config,
          settleCallback(series, startedAt, failures, values as AnyFunction),
        );
      }
      if (typeof callback === 'function') {
        return original.call(
          this,
          config,
          values,
          settleCallback(series, startedAt, failures, callback as AnyFunction),
        );
      }
      const own = typeof config === 'object' ? (config as { callback?: unknown }).callback : undefined;
      if (typeof own === 'function') {
        // The caller's config is not changed: pg would write the callback back into it.
        const settled = settleCallback(series, startedAt, failures, own as AnyFunction);
        return original.call(this, { ...(config as object), callback: settled }, values);
      }
      const pending = original.call(this, config, values);
      return pending instanceof Promise ? settlePromise(series, startedAt, failures, pending) : pending;
    } catch (error) {
      recordFailed(series, error, startedAt, failures);
      throw error;
    }
  };
  client.query = query as unknown as PgClientLike['query'];
}

/** Counts a connection attempt: `connect(callback?)`, a promise without one. */
function instrumentConnect(
  target: PgClientLike,
  onOpened: (() => void) | undefined,
  onFailed: () => void,
): void {
  const original = target.connect as unknown as AnyFunction;
  const connect = function connect(this: unknown, callback?: unknown) {
    if (typeof callback === 'function') {
      return original.call(this, function connected(this: unknown, error: unknown) {
        if (error) onFailed();
        else onOpened?.();
        // biome-ignore lint/complexity/noArguments: pg's arguments (client, release) passed on as they are
        return (callback as AnyFunction).apply(this, arguments as unknown as unknown[]);
      });
    }
    return (original.call(this) as Promise<unknown>).then(
      (result) => {
        onOpened?.();
        return result;
      },
      (error: unknown) => {
        onFailed();
        throw error;
      },
    );
  };
  target.connect = connect as unknown as PgClientLike['connect'];
}

function instrumentPool(pool: PgPoolLike, recorder: DatabaseRecorder, options: ResolvedOptions): void {
  // Every client the pool opens from now on: its statements are timed wherever they come from
  // (pool.query, or a client checked out with pool.connect()).
  pool.on('connect', (client) => {
    recorder.connectionCreated();
    instrumentQuery(client, recorder);
  });
  // pool.query checks a client out through pool.connect too, so a failure to get one counts once.
  instrumentConnect(pool, undefined, () => recorder.connectionFailed());
  const untrack = trackPool(options, recorder.system, {
    total: () => pool.totalCount,
    idle: () => pool.idleCount,
    pending: () => pool.waitingCount,
  });
  const end = pool.end as unknown as AnyFunction;
  pool.end = function endPool(this: unknown) {
    untrack();
    // biome-ignore lint/complexity/noArguments: pg's arguments passed on as they are
    return end.apply(this, arguments as unknown as unknown[]);
  } as unknown as PgPoolLike['end'];
}

/**
 * Instruments one node-postgres `Pool` or `Client`, and returns it: its statements are timed
 * by operation (and table, when asked for), errors counted by type, BEGIN/COMMIT/ROLLBACK
 * counted as transactions, new connections and failures to get one counted, and a pool's
 * connection counts read at scrape time. Only this object changes (its own `query`, `connect`
 * and `end`, and the `query` of each client a pool opens after this call): no module is patched.
 * Call it before the first query: clients a pool opened earlier are not timed.
 *
 * @example
 * const pool = instrumentPg(new pg.Pool({ connectionString }), { alias: 'default' });
 */
export function instrumentPg<T extends PgClientLike>(target: T, options?: DatabaseMetricsOptions): T {
  if (
    target === null ||
    typeof target !== 'object' ||
    typeof target.query !== 'function' ||
    typeof target.connect !== 'function'
  ) {
    throw notA('a pg Pool or Client', target);
  }
  const resolved = resolveOptions(options);
  markInstrumented(target, isPool(target) ? 'pg Pool' : 'pg Client');
  const recorder = new DatabaseRecorder(resolved, 'postgresql', pgErrorType);
  if (isPool(target)) instrumentPool(target, recorder, resolved);
  else {
    instrumentConnect(
      target,
      () => recorder.connectionCreated(),
      () => recorder.connectionFailed(),
    );
    instrumentQuery(target, recorder);
  }
  return target;
}
