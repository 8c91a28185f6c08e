// One schema for every database driver (docs/architecture.md, "db"): schema/ defines the
// families, statement/ reads a statement's operation and table, recording/ turns a settled
// statement into series, drivers/ holds one thin wrapper per driver, and sources/ lets another
// package's database layer (orm-prisma's driver adapters) record on the same schema.
export { instrumentBetterSqlite3 } from './drivers/better-sqlite3.js';
export {
  instrumentMysql2,
  type Mysql2ConnectionLike,
  type Mysql2Like,
  type Mysql2PoolLike,
} from './drivers/mysql2.js';
export { hasNodeSqlite, instrumentNodeSqlite } from './drivers/node-sqlite.js';
export { instrumentPg, type PgClientLike, type PgPoolLike } from './drivers/pg.js';
export type { SqliteDatabaseLike, SqliteStatementLike } from './drivers/sqlite-database.js';
export { DB_METRIC_NAMES, DEFAULT_QUERY_BUCKETS, OVERFLOW_VALUE } from './metric-names.js';
export {
  createDatabaseSource,
  type DatabaseSource,
  type DatabaseSystem,
  databaseErrorType,
  type PoolCounts,
  type StatementSeries,
  statementTable,
} from './sources/database-source.js';
export { OTHER_OPERATION } from './statement/operation.js';
export type { DatabaseMetricsOptions } from './types.js';
