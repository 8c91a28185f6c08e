export { applyMigrations, readMigrationStatus } from './apply-migrations.js';
export { type CliIo, runMigrateCli } from './cli.js';
export { MigrationError, type MigrationErrorCode } from './migration-error.js';
export type {
  ApplyResult,
  MigrationDatabase,
  MigrationOptions,
  MigrationStatus,
  PgQueryableLike,
  SqliteDatabaseLike,
} from './types.js';
