/** better-sqlite3's Database, as far as the applier uses it. */
export interface SqliteDatabaseLike {
  prepare(sql: string): { run(...params: unknown[]): unknown; all(...params: unknown[]): unknown[] };
  exec(sql: string): unknown;
  close(): unknown;
  readonly open: boolean;
}

/** node-postgres' Pool or Client, as far as the applier uses it. */
export interface PgQueryableLike {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  connect(): Promise<unknown>;
}

/**
 * A database the applier reads and writes: a connection URL (`file:./dev.db` for SQLite,
 * `postgresql://...` for PostgreSQL), a better-sqlite3 Database, or a pg Pool or Client.
 * Connections made from a URL are closed by the applier; objects passed in are never closed.
 */
export type MigrationDatabase = string | SqliteDatabaseLike | PgQueryableLike;

/** Options of `applyMigrations` and `readMigrationStatus`. */
export interface MigrationOptions {
  /** The folder holding `<timestamp>_<name>/migration.sql`, e.g. `prisma/migrations`. */
  migrationsPath: string;
  database: MigrationDatabase;
  /** PostgreSQL schema of the migrations table and of the migrations. Default: the URL's `schema` parameter, else `public`. */
  schema?: string;
}

/** What `readMigrationStatus` finds: migration names in the order they apply. */
export interface MigrationStatus {
  /** Migrations whose row is finished and not rolled back. */
  readonly applied: readonly string[];
  /** Migrations in the folder with no such row. */
  readonly pending: readonly string[];
  /** Migrations that started and neither finished nor were rolled back: `migrate deploy` stops on them. */
  readonly failed: readonly string[];
}

/** What `applyMigrations` did. */
export interface ApplyResult {
  /** Migrations applied by this call, in order. */
  readonly applied: readonly string[];
  /** Migrations that were applied before the call. */
  readonly alreadyApplied: readonly string[];
}
