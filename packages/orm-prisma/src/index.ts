export type {
  DriverAdapterFactoryLike,
  DriverAdapterLike,
  PoolLike,
  QueryableLike,
  TransactionLike,
} from './adapter-types.js';
export { prismaMetrics } from './client-extension.js';
export { instrumentAdapter } from './instrument-adapter.js';
export { DEFAULT_QUERY_BUCKETS, OVERFLOW_VALUE, PRISMA_METRIC_NAMES } from './metric-names.js';
export { createMigrationMetrics, type MigrationMetrics } from './migrations/migration-metrics.js';
export type {
  AdapterMetricsOptions,
  MigrationDatabase,
  MigrationMetricsOptions,
  MigrationStatus,
  PgQueryableLike,
  PrismaMetricsBaseOptions,
  PrismaMetricsOptions,
  SqliteDatabaseLike,
} from './types.js';
