import type { SqliteDatabaseLike } from '../types.js';
import type { MigrationRow } from './migration-row.js';

interface RawRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

/** `_prisma_migrations` through better-sqlite3. It only reads. */
export class SqliteMigrationStore {
  /** The word migration_lock.toml uses for this provider. */
  readonly provider = 'sqlite';

  constructor(
    /** The connection, for a tool that writes beside the reads (the workspace's offline applier). */
    readonly db: SqliteDatabaseLike,
    private readonly owned: boolean,
  ) {}

  /** The rows in the order they were started; undefined when the table does not exist yet. */
  async readRows(): Promise<MigrationRow[] | undefined> {
    const table = this.db
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`)
      .all();
    if (table.length === 0) return undefined;
    const rows = this.db
      .prepare(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at ASC',
      )
      .all() as RawRow[];
    return rows.map((row) => ({
      migrationName: row.migration_name,
      checksum: row.checksum,
      finished: row.finished_at !== null,
      rolledBack: row.rolled_back_at !== null,
    }));
  }

  /** Closes the connection if the store opened it; a connection handed in stays open. */
  async close(): Promise<void> {
    if (this.owned && this.db.open) this.db.close();
  }
}
