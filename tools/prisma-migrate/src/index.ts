export type {
  MigrationDatabase,
  MigrationStatus,
  PgQueryableLike,
  SqliteDatabaseLike,
} from '@promenade/orm-prisma/migrations';
export { applyMigrations, readMigrationStatus } from './apply-migrations.js';
export { type CliIo, runMigrateCli } from './cli.js';
export { MigrationError, type MigrationErrorCode } from './migration-error.js';
export type { ApplyResult, MigrationOptions } from './types.js';
