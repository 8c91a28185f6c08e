/**
 * The parts of Prisma's driver-adapter contract (@prisma/driver-adapter-utils) this package
 * wraps, declared structurally so that the package needs no import of Prisma's internals.
 */

export interface QueryableLike {
  readonly provider: string;
  readonly adapterName: string;
  queryRaw(query: unknown): Promise<unknown>;
  executeRaw(query: unknown): Promise<number>;
}

export interface TransactionLike extends QueryableLike {
  readonly options: unknown;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  createSavepoint?(name: string): Promise<void>;
  rollbackToSavepoint?(name: string): Promise<void>;
  releaseSavepoint?(name: string): Promise<void>;
}

export interface DriverAdapterLike extends QueryableLike {
  executeScript(script: string): Promise<void>;
  startTransaction(isolationLevel?: string): Promise<TransactionLike>;
  getConnectionInfo?(): unknown;
  dispose(): Promise<void>;
  /** PrismaPg's adapter hands out its pg.Pool here. */
  underlyingDriver?(): unknown;
}

/** What `new PrismaClient({ adapter })` takes: PrismaBetterSqlite3, PrismaPg... */
export interface DriverAdapterFactoryLike {
  readonly provider: string;
  readonly adapterName: string;
  connect(): Promise<DriverAdapterLike>;
  connectToShadowDb?(): Promise<DriverAdapterLike>;
}

/** node-postgres' Pool, whose counts become the pool gauges. */
export interface PoolLike {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  on(event: 'connect', listener: () => void): unknown;
  removeListener(event: 'connect', listener: () => void): unknown;
}

export function isPoolLike(value: unknown): value is PoolLike {
  const pool = value as Partial<PoolLike> | null;
  return (
    pool !== null &&
    typeof pool === 'object' &&
    typeof pool.totalCount === 'number' &&
    typeof pool.idleCount === 'number' &&
    typeof pool.waitingCount === 'number' &&
    typeof pool.on === 'function' &&
    typeof pool.removeListener === 'function'
  );
}
