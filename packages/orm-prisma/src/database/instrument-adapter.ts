import { optionError } from '@promenade/core/adapter';
import { PACKAGE_NAME } from '../metric-names.js';
import { type ResolvedAdapterOptions, resolveAdapterOptions } from '../options.js';
import { recordSettled } from '../record-settled.js';
import type { AdapterMetricsOptions } from '../types.js';
import { DatabaseRecorder, type MethodSeries } from './database-recorder.js';
import {
  type DriverAdapterFactoryLike,
  type DriverAdapterLike,
  isPoolLike,
  type PoolLike,
  type TransactionLike,
} from './driver-adapter-types.js';
import { PoolGauges } from './pool-gauges.js';
import { vendorOf } from './vendor-label.js';

/**
 * Calls `method` on `target` and records it. Target, method and argument are passed apart so
 * that a query allocates no closure of its own beyond the two that record its outcome.
 */
function timed<A, T>(
  series: MethodSeries,
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
    series.failed(error, startedAt);
    return Promise.reject(error);
  }
  return recordSettled(series, startedAt, pending);
}

function wrapTransaction(tx: TransactionLike, recorder: DatabaseRecorder): TransactionLike {
  const wrapped: TransactionLike = {
    provider: tx.provider,
    adapterName: tx.adapterName,
    options: tx.options,
    queryRaw: (query) => timed(recorder.queryRaw, tx, tx.queryRaw, query),
    executeRaw: (query) => timed(recorder.executeRaw, tx, tx.executeRaw, query),
    async commit() {
      await tx.commit();
      recorder.transactionEnded('committed');
    },
    async rollback() {
      await tx.rollback();
      recorder.transactionEnded('rolled_back');
    },
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

function wrapAdapter(
  adapter: DriverAdapterLike,
  recorder: DatabaseRecorder,
  pools: PoolGauges,
): DriverAdapterLike {
  const pool = poolOf(adapter);
  const onPoolConnect = () => recorder.connectionOpened();
  if (!pool) recorder.connectionOpened();
  else if (pools.add(pool)) pool.on('connect', onPoolConnect);
  let disposed = false;
  const wrapped: DriverAdapterLike = {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => timed(recorder.queryRaw, adapter, adapter.queryRaw, query),
    executeRaw: (query) => timed(recorder.executeRaw, adapter, adapter.executeRaw, query),
    executeScript: (script) => timed(recorder.executeScript, adapter, adapter.executeScript, script),
    async startTransaction(isolationLevel) {
      const tx = await timed(recorder.startTransaction, adapter, adapter.startTransaction, isolationLevel);
      recorder.transactionStarted();
      return wrapTransaction(tx, recorder);
    },
    async dispose() {
      if (pool && !disposed && pools.remove(pool)) pool.removeListener('connect', onPoolConnect);
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
 * Wraps the driver adapter factory given to `new PrismaClient({ adapter })` so that every call
 * into the database is counted and timed: queries and executions, their errors by type,
 * transactions, new connections and connection errors, and pool gauges where the driver pools.
 * Labels: `vendor` (from the adapter's provider) and `alias`. SQL text never becomes a label.
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
  const vendor = vendorOf(factory.provider);
  const recorder = new DatabaseRecorder(resolved, vendor);
  const pools = new PoolGauges(resolved, vendor, resolved.alias);
  const connect = async (open: () => Promise<DriverAdapterLike>) => {
    let adapter: DriverAdapterLike;
    try {
      adapter = await open();
    } catch (error) {
      recorder.connectionFailed();
      throw error;
    }
    return wrapAdapter(adapter, recorder, pools);
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
