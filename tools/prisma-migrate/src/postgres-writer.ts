import { randomUUID } from 'node:crypto';
import {
  type MigrationRow,
  openMigrationStore,
  type PgQueryableLike,
  type PostgresMigrationStore,
} from '@promenade/orm-prisma/migrations';
import type { MigrationScript } from './migration-scripts.js';
import type { MigrationWriter } from './migration-writer.js';

/** The advisory lock `prisma migrate` holds on PostgreSQL, so our applier and Prisma's exclude each other. */
const PRISMA_ADVISORY_LOCK = 72707369;

interface PgClientLike extends PgQueryableLike {
  release?(): void;
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
export class PostgresMigrationWriter implements MigrationWriter {
  private readonly database: PgQueryableLike;
  private readonly schema: string;
  private readonly table: string;
  /** The client holding the advisory lock: everything under the lock runs on it. */
  private lockedClient: PgClientLike | undefined;

  constructor(store: PostgresMigrationStore) {
    this.database = store.database;
    this.schema = store.schema;
    this.table = `${quoteIdentifier(this.schema)}."_prisma_migrations"`;
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

  readRows(): Promise<MigrationRow[] | undefined> {
    // orm-prisma's reader over this unit's client (handed in, so never closed by it): on a pool
    // of one connection, a read on the pool would wait for the client the lock holds.
    return this.withClient(async (client) => (await openMigrationStore(client, this.schema)).readRows());
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

  apply(migration: MigrationScript): Promise<boolean> {
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
}
