import { randomUUID } from 'node:crypto';
import type {
  MigrationRow,
  SqliteDatabaseLike,
  SqliteMigrationStore,
} from '@promenade/orm-prisma/migrations';
import type { MigrationScript } from './migration-scripts.js';
import type { MigrationWriter } from './migration-writer.js';

// Prisma's definition for SQLite (schema engine, SQLite flavour), column for column.
const CREATE_TABLE = `CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
);`;

/** The reader's type names what it reads; writing needs `run` too, which every better-sqlite3 statement has. */
interface WritableSqliteDatabase extends SqliteDatabaseLike {
  prepare(sql: string): { run(...params: unknown[]): unknown; all(...params: unknown[]): unknown[] };
}

/**
 * `_prisma_migrations` through better-sqlite3. Timestamps are written as Prisma's engine writes
 * them on SQLite: integer milliseconds since the epoch.
 */
export class SqliteMigrationWriter implements MigrationWriter {
  private readonly db: WritableSqliteDatabase;

  constructor(private readonly store: SqliteMigrationStore) {
    this.db = store.db as WritableSqliteDatabase;
  }

  readRows(): Promise<MigrationRow[] | undefined> {
    return this.store.readRows();
  }

  async hasOtherTables(): Promise<boolean> {
    const found = this.db
      .prepare(
        `SELECT 1 FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' LIMIT 1`,
      )
      .all();
    return found.length > 0;
  }

  async createTable(): Promise<void> {
    this.db.exec(CREATE_TABLE);
  }

  /**
   * Prisma's SQLite migrations redefine tables (create new, copy, drop old, rename) between
   * `PRAGMA foreign_keys=OFF/ON`, which SQLite ignores inside a transaction: a DROP TABLE
   * would then cascade-delete the rows that reference it. So enforcement is switched off
   * around the transaction, as SQLite's own procedure for schema changes says, and the
   * references are checked before COMMIT instead.
   */
  async apply(migration: MigrationScript): Promise<boolean> {
    const { db } = this;
    const enforced =
      (db.prepare('PRAGMA foreign_keys').all()[0] as { foreign_keys: number }).foreign_keys === 1;
    if (enforced) db.exec('PRAGMA foreign_keys = OFF');
    try {
      return this.applyInTransaction(migration);
    } finally {
      if (enforced) db.exec('PRAGMA foreign_keys = ON');
    }
  }

  private applyInTransaction(migration: MigrationScript): boolean {
    const { db } = this;
    // IMMEDIATE takes the write lock now, so the check below cannot race another applier.
    db.exec('BEGIN IMMEDIATE');
    try {
      const done = db
        .prepare(
          'SELECT 1 FROM "_prisma_migrations" WHERE migration_name = ? AND finished_at IS NOT NULL AND rolled_back_at IS NULL',
        )
        .all(migration.name);
      if (done.length > 0) {
        db.exec('ROLLBACK');
        return false;
      }
      const id = randomUUID();
      db.prepare(
        'INSERT INTO "_prisma_migrations" (id, checksum, started_at, migration_name) VALUES (?, ?, ?, ?)',
      ).run(id, migration.checksum, Date.now(), migration.name);
      db.exec(migration.script);
      const broken = db.prepare('PRAGMA foreign_key_check').all() as { table: string; parent: string }[];
      if (broken.length > 0) {
        const [first] = broken;
        throw new Error(
          `${broken.length} row(s) would break a foreign key (first: table "${first!.table}" referencing "${first!.parent}")`,
        );
      }
      db.prepare(
        'UPDATE "_prisma_migrations" SET applied_steps_count = applied_steps_count + 1, finished_at = ? WHERE id = ?',
      ).run(Date.now(), id);
      db.exec('COMMIT');
      return true;
    } catch (error) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // SQLite already rolled back (some errors end the transaction themselves).
      }
      throw error;
    }
  }

  withLock<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }
}
