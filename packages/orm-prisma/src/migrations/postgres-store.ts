import type { PgQueryableLike } from '../types.js';
import type { MigrationRow, MigrationStore } from './migration-store.js';

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `_prisma_migrations` through node-postgres, in one schema, read only. */
export class PostgresMigrationStore implements MigrationStore {
  constructor(
    private readonly database: PgQueryableLike & { end?(): Promise<void> },
    private readonly schema: string,
    private readonly owned: boolean,
  ) {}

  async readRows(): Promise<MigrationRow[] | undefined> {
    // A Pool runs each query on any free client, which is all two independent reads need.
    const exists = await this.database.query(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = '_prisma_migrations'`,
      [this.schema],
    );
    if (exists.rows.length === 0) return undefined;
    const { rows } = await this.database.query(
      `SELECT migration_name, finished_at, rolled_back_at FROM ${quoteIdentifier(this.schema)}."_prisma_migrations" ORDER BY started_at ASC`,
    );
    return rows.map((row) => ({
      migrationName: row.migration_name as string,
      finished: row.finished_at !== null,
      rolledBack: row.rolled_back_at !== null,
    }));
  }

  async close(): Promise<void> {
    if (this.owned) await this.database.end?.();
  }
}
