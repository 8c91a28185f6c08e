export type {
  DriverAdapterFactoryLike,
  DriverAdapterLike,
  PoolLike,
  QueryableLike,
  TransactionLike,
} from './adapter-types.js';
export { type CliIo, runMigrateCli } from './cli.js';
export { prismaMetrics } from './client-extension.js';
export { instrumentAdapter } from './instrument-adapter.js';
export { DEFAULT_QUERY_BUCKETS, OVERFLOW_VALUE, PRISMA_METRIC_NAMES } from './metric-names.js';
export { applyMigrations, readMigrationStatus } from './migrations/apply-migrations.js';
export { MigrationError, type MigrationErrorCode } from './migrations/migration-error.js';
export { createMigrationMetrics, type MigrationMetrics } from './migrations/migration-metrics.js';
export type {
  AdapterMetricsOptions,
  ApplyResult,
  MigrationDatabase,
  MigrationMetricsOptions,
  MigrationOptions,
  MigrationStatus,
  PgQueryableLike,
  PrismaMetricsBaseOptions,
  PrismaMetricsOptions,
  SqliteDatabaseLike,
} from './types.js';
