import type { MigrationRow } from '@promenade/orm-prisma/migrations';
import type { MigrationScript } from './migration-scripts.js';

/**
 * The writes Prisma's schema engine makes to `_prisma_migrations`, one implementation per
 * provider, on the connection of orm-prisma's reader (which only reads).
 */
export interface MigrationWriter {
  /** orm-prisma's read of the rows, on the connection the writes use (under the lock, its client). */
  readRows(): Promise<MigrationRow[] | undefined>;
  /** Whether the database holds tables other than `_prisma_migrations`. */
  hasOtherTables(): Promise<boolean>;
  /** Creates `_prisma_migrations` with Prisma's own definition for this provider. */
  createTable(): Promise<void>;
  /**
   * Runs the script and records its row in one transaction: either both happen or neither.
   * Returns false, having done nothing, when another process applied it in the meantime.
   */
  apply(migration: MigrationScript): Promise<boolean>;
  /** Runs `work` while holding the lock `prisma migrate` takes, where the database has one. */
  withLock<T>(work: () => Promise<T>): Promise<T>;
}
