import type { MigrationFile } from './migration-files.js';

/** One row of `_prisma_migrations`, as far as the status needs it. */
export interface MigrationRow {
  readonly migrationName: string;
  readonly checksum: string;
  readonly finished: boolean;
  readonly rolledBack: boolean;
}

/**
 * `_prisma_migrations` on one database: the same reads and writes Prisma's schema engine makes,
 * one implementation per provider.
 */
export interface MigrationStore {
  /** The word migration_lock.toml uses: `sqlite`, `postgresql`. */
  readonly provider: string;
  /** The rows in the order they were started; undefined when the table does not exist yet. */
  readRows(): Promise<MigrationRow[] | undefined>;
  /** Whether the database holds tables other than `_prisma_migrations`. */
  hasOtherTables(): Promise<boolean>;
  /** Creates `_prisma_migrations` with Prisma's own definition for this provider. */
  createTable(): Promise<void>;
  /**
   * Runs the script and records its row in one transaction: either both happen or neither.
   * Returns false, having done nothing, when another process applied it in the meantime.
   */
  apply(migration: MigrationFile): Promise<boolean>;
  /** Runs `work` while holding the lock `prisma migrate` takes, where the database has one. */
  withLock<T>(work: () => Promise<T>): Promise<T>;
  /** Closes the connection if the store opened it; a connection handed in stays open. */
  close(): Promise<void>;
}
