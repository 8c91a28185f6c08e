// Three parts, one folder each (docs/architecture.md, "orm-prisma"): model-operations/ is the
// client extension (prisma_model_*), database/ the driver-adapter wrapper (@promenade/db's db_client_*, and
// the rows families when given the models), and
// migrations/ the migration gauges (prisma_migrations_*). The files beside this one are shared:
// names, options, and the families they all define through core's series families.
export type {
  DriverAdapterFactoryLike,
  DriverAdapterLike,
  PoolLike,
  QueryableLike,
  TransactionLike,
} from './database/driver-adapter-types.js';
export { instrumentAdapter } from './database/instrument-adapter.js';
export { DEFAULT_QUERY_BUCKETS, OVERFLOW_VALUE, PRISMA_METRIC_NAMES } from './metric-names.js';
export { createMigrationMetrics, type MigrationMetrics } from './migrations/migration-metrics.js';
export { prismaMetrics } from './model-operations/client-extension.js';
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
