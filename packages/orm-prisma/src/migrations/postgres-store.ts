import type { PgQueryableLike } from '../types.js';
import type { MigrationRow } from './migration-row.js';

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `_prisma_migrations` through node-postgres, in one schema. It only reads. */
export class PostgresMigrationStore {
  /** The word migration_lock.toml uses for this provider. */
  readonly provider = 'postgresql';

  constructor(
    /** The connection (a Pool or a Client), for a tool that writes beside the reads. */
    readonly database: PgQueryableLike & { end?(): Promise<void> },
    /** The schema that holds `_prisma_migrations`. */
    readonly schema: string,
    private readonly owned: boolean,
  ) {}

  /** The rows in the order they were started; undefined when the table does not exist yet. */
  async readRows(): Promise<MigrationRow[] | undefined> {
    // A Pool runs each query on any free client, which is all two independent reads need.
    const exists = await this.database.query(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = '_prisma_migrations'`,
      [this.schema],
    );
    if (exists.rows.length === 0) return undefined;
    const { rows } = await this.database.query(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM ${quoteIdentifier(this.schema)}."_prisma_migrations" ORDER BY started_at ASC`,
    );
    return rows.map((row) => ({
      migrationName: row.migration_name as string,
      checksum: row.checksum as string,
      finished: row.finished_at !== null,
      rolledBack: row.rolled_back_at !== null,
    }));
  }

  /** Closes the connection if the store opened it; a connection handed in stays open. */
  async close(): Promise<void> {
    if (this.owned) await this.database.end?.();
  }
}
