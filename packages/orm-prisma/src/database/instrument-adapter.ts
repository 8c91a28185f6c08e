import { optionError } from '@promenade/core/adapter';
import { PACKAGE_NAME } from '../metric-names.js';
import { type ResolvedAdapterOptions, resolveAdapterOptions } from '../options.js';
import { recordSettled } from '../record-settled.js';
import type { AdapterMetricsOptions } from '../types.js';
import { AdapterRecorder } from './adapter-recorder.js';
import type { AdapterStatement } from './adapter-statement.js';
import {
  type DriverAdapterFactoryLike,
  type DriverAdapterLike,
  isPoolLike,
  type PoolLike,
  type TransactionLike,
} from './driver-adapter-types.js';

/** What Prisma hands `queryRaw` and `executeRaw`: the statement's text, with its arguments apart. */
interface SqlQueryLike {
  readonly sql: string;
}

/**
 * Calls `method` on `target` and records it. Target, method and argument are passed apart so
 * that a query allocates no closure of its own beyond the two that record its outcome.
 */
function timed<A, T>(
  statement: AdapterStatement,
  target: object,
  method: (arg: A) => Promise<T>,
  arg: A,
): Promise<T> {
  const startedAt = performance.now();
  let pending: Promise<T>;
  try {
    pending = method.call(target, arg);
  } catch (error) {
    // A driver adapter is third-party code: one that throws instead of rejecting still fails
    // the call as a rejection would, and is recorded.
    statement.failed(error, startedAt);
    return Promise.reject(error);
  }
  return recordSettled(statement, startedAt, pending);
}

function query<T>(
  recorder: AdapterRecorder,
  target: object,
  method: (query: SqlQueryLike) => Promise<T>,
  sql: SqlQueryLike,
): Promise<T> {
  return timed(recorder.statement(sql.sql), target, method, sql);
}

/** `usePhantomQuery`: the adapter, not Prisma, sends COMMIT and ROLLBACK (in commit() and rollback()). */
function endsItself(tx: TransactionLike): boolean {
  return (tx.options as { usePhantomQuery?: unknown } | null)?.usePhantomQuery === true;
}

function wrapTransaction(tx: TransactionLike, recorder: AdapterRecorder): TransactionLike {
  // Prisma ends a transaction with a COMMIT or ROLLBACK through executeRaw, which the schema
  // counts as it counts any driver's; commit() and rollback() then only release the
  // connection. An adapter that sends them itself is counted through these two instead.
  const phantom = endsItself(tx);
  const wrapped: TransactionLike = {
    provider: tx.provider,
    adapterName: tx.adapterName,
    options: tx.options,
    queryRaw: (sql) => query(recorder, tx, tx.queryRaw, sql as SqlQueryLike),
    executeRaw: (sql) => query(recorder, tx, tx.executeRaw, sql as SqlQueryLike),
    commit: phantom
      ? () => timed(recorder.statement('COMMIT'), tx, tx.commit, undefined)
      : tx.commit.bind(tx),
    rollback: phantom
      ? () => timed(recorder.statement('ROLLBACK'), tx, tx.rollback, undefined)
      : tx.rollback.bind(tx),
  };
  // Optional in the contract: Prisma checks for them, so they are present only when the driver has them.
  if (tx.createSavepoint) wrapped.createSavepoint = tx.createSavepoint.bind(tx);
  if (tx.rollbackToSavepoint) wrapped.rollbackToSavepoint = tx.rollbackToSavepoint.bind(tx);
  if (tx.releaseSavepoint) wrapped.releaseSavepoint = tx.releaseSavepoint.bind(tx);
  return wrapped;
}

/** The pool behind an adapter, when its driver pools (PrismaPg's `underlyingDriver()`). */
function poolOf(adapter: DriverAdapterLike): PoolLike | undefined {
  if (typeof adapter.underlyingDriver !== 'function') return undefined;
  const driver = adapter.underlyingDriver();
  return isPoolLike(driver) ? driver : undefined;
}

function wrapAdapter(adapter: DriverAdapterLike, recorder: AdapterRecorder): DriverAdapterLike {
  const pool = poolOf(adapter);
  const { source } = recorder;
  const onPoolConnect = () => source.connectionCreated();
  if (!pool) source.connectionCreated();
  else if (recorder.addPool(pool)) pool.on('connect', onPoolConnect);
  let disposed = false;
  const wrapped: DriverAdapterLike = {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (sql) => query(recorder, adapter, adapter.queryRaw, sql as SqlQueryLike),
    executeRaw: (sql) => query(recorder, adapter, adapter.executeRaw, sql as SqlQueryLike),
    executeScript: (script) => timed(recorder.statement(script), adapter, adapter.executeScript, script),
    async startTransaction(isolationLevel) {
      // The adapter sends its BEGIN itself: timed here (waiting for a pooled connection
      // included) as the schema's BEGIN, which counts the transaction started.
      const tx = await timed(recorder.statement('BEGIN'), adapter, adapter.startTransaction, isolationLevel);
      return wrapTransaction(tx, recorder);
    },
    async dispose() {
      if (pool && !disposed && recorder.removePool(pool)) pool.removeListener('connect', onPoolConnect);
      disposed = true;
      await adapter.dispose();
    },
  };
  if (adapter.getConnectionInfo) wrapped.getConnectionInfo = adapter.getConnectionInfo.bind(adapter);
  if (adapter.underlyingDriver) wrapped.underlyingDriver = adapter.underlyingDriver.bind(adapter);
  return wrapped;
}

function assertFactory(factory: unknown): asserts factory is DriverAdapterFactoryLike {
  const candidate = factory as Partial<DriverAdapterFactoryLike> | null;
  if (
    candidate === null ||
    typeof candidate !== 'object' ||
    typeof candidate.connect !== 'function' ||
    typeof candidate.provider !== 'string'
  ) {
    throw optionError(
      PACKAGE_NAME,
      'adapter',
      'must be a Prisma driver adapter factory such as new PrismaBetterSqlite3(...) or new PrismaPg(...)',
      factory,
    );
  }
}

/**
 * Wraps the driver adapter factory given to `new PrismaClient({ adapter })` so that every
 * statement is recorded on @promenade/db's schema, as a pg or SQLite driver's would be:
 * timed by operation, errors by type, transactions, new connections and connection errors, and
 * pool gauges where the driver pools. Given `models`, rows written are counted per model too.
 * Labels: `db_system` (from the adapter's provider), `alias`, `operation` (the statement's
 * first keyword). SQL text never becomes a label.
 *
 * @example
 * new PrismaClient({ adapter: instrumentAdapter(new PrismaBetterSqlite3({ url }), { alias: 'default' }) })
 */
export function instrumentAdapter<F extends DriverAdapterFactoryLike>(
  factory: F,
  options?: AdapterMetricsOptions,
): F {
  assertFactory(factory);
  const resolved: ResolvedAdapterOptions = resolveAdapterOptions(options);
  const recorder = new AdapterRecorder(resolved, factory.provider);
  const connect = async (open: () => Promise<DriverAdapterLike>) => {
    let adapter: DriverAdapterLike;
    try {
      adapter = await open();
    } catch (error) {
      recorder.source.connectionFailed();
      throw error;
    }
    return wrapAdapter(adapter, recorder);
  };
  const wrapped: DriverAdapterFactoryLike = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => connect(() => factory.connect()),
  };
  if (typeof factory.connectToShadowDb === 'function') {
    wrapped.connectToShadowDb = () => connect(() => factory.connectToShadowDb!());
  }
  return wrapped as F;
}
