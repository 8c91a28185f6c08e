import type { MigrationStatusOptions } from '@promenade/orm-prisma/migrations';

/**
 * Options of `applyMigrations` and `readMigrationStatus`: the migrations folder and the database
 * (a URL, a better-sqlite3 Database, or a pg Pool or Client; connections made from a URL are
 * closed by the applier, objects passed in never are). On PostgreSQL, `schema` is also where the
 * migrations run.
 */
export type MigrationOptions = MigrationStatusOptions;

/** What `applyMigrations` did. */
export interface ApplyResult {
  /** Migrations applied by this call, in order. */
  readonly applied: readonly string[];
  /** Migrations that were applied before the call. */
  readonly alreadyApplied: readonly string[];
}
