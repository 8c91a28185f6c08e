import type { Registry } from 'prom-client';

/** Options every part of the package shares. */
export interface PrismaMetricsBaseOptions {
  /** Where metrics are registered. Default: prom-client's global registry. */
  registry?: Registry;
  /** Prepended to every metric name, e.g. `myapp_`. Default: none (names start with `prisma_`). */
  prefix?: string;
  /** Label sets one metric may grow to before new ones are folded into `<overflow>`. Default: 10000. */
  maxLabelSets?: number;
}

/** Options of the client extension, `prisma.$extends(prismaMetrics(options))`. */
export interface PrismaMetricsOptions extends PrismaMetricsBaseOptions {
  /** Duration buckets in seconds. Default: 0.5 ms to 10 s. */
  buckets?: readonly number[];
  /**
   * The models whose series start at zero: `Prisma.ModelName` or a list of names. Default: the
   * models the extended client declares (read from the client when it can be), else none.
   */
  models?: readonly string[] | Readonly<Record<string, string>>;
  /**
   * Count the rows written (inserts, updates, upserts, deletes by model). false when the
   * adapter counts them (`instrumentAdapter`'s `models`), so no row is counted twice; reads are
   * counted either way. Default: true.
   */
  rows?: boolean;
}

/** Options of the driver-adapter wrapper, `instrumentAdapter(factory, options)`. */
export interface AdapterMetricsOptions extends PrismaMetricsBaseOptions {
  /** Duration buckets in seconds. Default: 0.5 ms to 10 s. */
  buckets?: readonly number[];
  /** Names this database in the `alias` label, as Django's DATABASES key does. Default: `default`. */
  alias?: string;
  /**
   * Label statements with the table they name, as @promenade/db's `tables` option does.
   * Default: false.
   */
  tables?: boolean;
  /**
   * Count rows inserted, updated, upserted and deleted per model at the adapter
   * (`prisma_model_*_total{model}`, as the extension does, at a fraction of its cost):
   * `Prisma.ModelName` when each model's table is its name, or a record of model -> table for
   * models mapped with `@@map` (`{ ...Prisma.ModelName, Dog: 'dogs' }`). Count rows in one
   * place: give the extension `rows: false` then. Default: no model counts.
   */
  models?: readonly string[] | Readonly<Record<string, string>>;
}

/** better-sqlite3's Database, as far as the migration reader uses it. */
export interface SqliteDatabaseLike {
  prepare(sql: string): { all(...params: unknown[]): unknown[] };
  exec(sql: string): unknown;
  close(): unknown;
  readonly open: boolean;
}

/** node-postgres' Pool or Client, as far as the migration reader uses it. */
export interface PgQueryableLike {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  connect(): Promise<unknown>;
}

/**
 * A database the migration reader reads: a connection URL (`file:./dev.db` for SQLite,
 * `postgresql://...` for PostgreSQL), a better-sqlite3 Database, or a pg Pool or Client.
 * A connection made from a URL is closed when the reader is done (the gauges' `close()`);
 * objects passed in are never closed.
 */
export type MigrationDatabase = string | SqliteDatabaseLike | PgQueryableLike;

/** A migrations folder and the database it is applied to: options of `readMigrationStatus`. */
export interface MigrationStatusOptions {
  /** The folder holding `<timestamp>_<name>/migration.sql`, e.g. `prisma/migrations`. */
  migrationsPath: string;
  database: MigrationDatabase;
  /** PostgreSQL schema of `_prisma_migrations`. Default: the URL's `schema` parameter, else `public`. */
  schema?: string;
}

/** Options of `createMigrationMetrics`. */
export interface MigrationMetricsOptions
  extends MigrationStatusOptions,
    Omit<PrismaMetricsBaseOptions, 'maxLabelSets'> {
  /** Names this database in the `alias` label. Default: `default`. */
  alias?: string;
  /** Called when the status cannot be read at scrape time; the gauges keep their last values. Default: a process warning. */
  onError?: (error: unknown) => void;
}

/** What the migration gauges read: migration names in the order they apply. */
export interface MigrationStatus {
  /** Migrations whose row is finished and not rolled back. */
  readonly applied: readonly string[];
  /** Migrations in the folder with no such row. */
  readonly pending: readonly string[];
  /** Migrations that started and neither finished nor were rolled back: `migrate deploy` stops on them. */
  readonly failed: readonly string[];
}
