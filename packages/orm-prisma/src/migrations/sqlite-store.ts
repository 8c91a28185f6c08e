import type { SqliteDatabaseLike } from '../types.js';
import type { MigrationRow, MigrationStore } from './migration-store.js';

interface RawRow {
  migration_name: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

/** `_prisma_migrations` through better-sqlite3, read only. */
export class SqliteMigrationStore implements MigrationStore {
  constructor(
    private readonly db: SqliteDatabaseLike,
    private readonly owned: boolean,
  ) {}

  async readRows(): Promise<MigrationRow[] | undefined> {
    const table = this.db
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`)
      .all();
    if (table.length === 0) return undefined;
    const rows = this.db
      .prepare(
        'SELECT migration_name, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at ASC',
      )
      .all() as RawRow[];
    return rows.map((row) => ({
      migrationName: row.migration_name,
      finished: row.finished_at !== null,
      rolledBack: row.rolled_back_at !== null,
    }));
  }

  async close(): Promise<void> {
    if (this.owned && this.db.open) this.db.close();
  }
}
