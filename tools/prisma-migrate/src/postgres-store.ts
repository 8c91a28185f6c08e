import { randomUUID } from 'node:crypto';
import type { MigrationFile } from './migration-files.js';
import type { MigrationRow, MigrationStore } from './migration-store.js';
import type { PgQueryableLike } from './types.js';

/** The advisory lock `prisma migrate` holds on PostgreSQL, so our applier and Prisma's exclude each other. */
const PRISMA_ADVISORY_LOCK = 72707369;

interface PgClientLike {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  release?(): void;
  end?(): Promise<void>;
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A pg Pool hands out clients; a pg Client is one. */
function isPool(database: PgQueryableLike): boolean {
  return typeof (database as { totalCount?: unknown }).totalCount === 'number';
}

/**
 * `_prisma_migrations` through node-postgres, in one schema. Each migration runs on one client
 * inside BEGIN/COMMIT with the schema as its search_path, as Prisma runs it with the schema set.
 */
export class PostgresMigrationStore implements MigrationStore {
  readonly provider = 'postgresql';
  private readonly table: string;
  /** The client holding the advisory lock: everything under the lock runs on it. */
  private lockedClient: PgClientLike | undefined;

  constructor(
    private readonly database: PgQueryableLike,
    private readonly schema: string,
    private readonly owned: boolean,
  ) {
    this.table = `${quoteIdentifier(schema)}."_prisma_migrations"`;
  }

  /** One client for a unit of work: a pooled client is released after, a Client is the client. */
  private async withClient<T>(work: (client: PgClientLike) => Promise<T>): Promise<T> {
    if (this.lockedClient) return work(this.lockedClient);
    if (!isPool(this.database)) return work(this.database as PgClientLike);
    const client = (await this.database.connect()) as PgClientLike;
    try {
      return await work(client);
    } finally {
      client.release?.();
    }
  }

  async readRows(): Promise<MigrationRow[] | undefined> {
    return this.withClient(async (client) => {
      const exists = await client.query(
        `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = '_prisma_migrations'`,
        [this.schema],
      );
      if (exists.rows.length === 0) return undefined;
      const { rows } = await client.query(
        `SELECT migration_name, checksum, finished_at, rolled_back_at FROM ${this.table} ORDER BY started_at ASC`,
      );
      return rows.map((row) => ({
        migrationName: row.migration_name as string,
        checksum: row.checksum as string,
        finished: row.finished_at !== null,
        rolledBack: row.rolled_back_at !== null,
      }));
    });
  }

  async hasOtherTables(): Promise<boolean> {
    const { rows } = await this.withClient((client) =>
      client.query(
        `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name <> '_prisma_migrations' LIMIT 1`,
        [this.schema],
      ),
    );
    return rows.length > 0;
  }

  async createTable(): Promise<void> {
    // Prisma's definition for PostgreSQL (schema engine, Postgres flavour), column for column.
    await this.withClient(async (client) => {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(this.schema)}`);
      await client.query(`CREATE TABLE ${this.table} (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`);
    });
  }

  apply(migration: MigrationFile): Promise<boolean> {
    return this.withClient(async (client) => {
      await client.query('BEGIN');
      try {
        const done = await client.query(
          `SELECT 1 FROM ${this.table} WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
          [migration.name],
        );
        if (done.rows.length > 0) {
          await client.query('ROLLBACK');
          return false;
        }
        const id = randomUUID();
        await client.query(
          `INSERT INTO ${this.table} (id, checksum, started_at, migration_name) VALUES ($1, $2, clock_timestamp(), $3)`,
          [id, migration.checksum, migration.name],
        );
        await client.query(`SET LOCAL search_path TO ${quoteIdentifier(this.schema)}`);
        // No parameters: pg sends the script with the simple protocol, which runs every statement.
        await client.query(migration.script);
        await client.query(
          `UPDATE ${this.table} SET applied_steps_count = applied_steps_count + 1, finished_at = clock_timestamp() WHERE id = $1`,
          [id],
        );
        await client.query('COMMIT');
        return true;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    });
  }

  withLock<T>(work: () => Promise<T>): Promise<T> {
    // A session lock belongs to the session that took it: the work runs on that same client,
    // which also keeps a pool of one connection from waiting on itself.
    return this.withClient(async (client) => {
      await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK]);
      this.lockedClient = client;
      try {
        return await work();
      } finally {
        this.lockedClient = undefined;
        await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK]).catch(() => {});
      }
    });
  }

  async close(): Promise<void> {
    if (this.owned) await (this.database as PgClientLike).end?.();
  }
}
