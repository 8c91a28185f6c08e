import { type OptionCheck, optionError } from '@promenade/core/adapter';
import type { MigrationDatabase, PgQueryableLike, SqliteDatabaseLike } from '../types.js';
import { PostgresMigrationStore } from './postgres-store.js';
import { SqliteMigrationStore } from './sqlite-store.js';

/** `_prisma_migrations` on one database, read only; `provider` tells which one it is. */
export type MigrationStore = SqliteMigrationStore | PostgresMigrationStore;

const POSTGRES_URL = /^postgres(ql)?:\/\//;

function isSqliteDatabase(value: unknown): value is SqliteDatabaseLike {
  const db = value as Partial<SqliteDatabaseLike> | null;
  return (
    db !== null && typeof db === 'object' && typeof db.prepare === 'function' && typeof db.exec === 'function'
  );
}

function isPgQueryable(value: unknown): value is PgQueryableLike {
  const pg = value as Partial<PgQueryableLike> | null;
  return (
    pg !== null &&
    typeof pg === 'object' &&
    typeof pg.query === 'function' &&
    typeof pg.connect === 'function'
  );
}

/** The option check of a `MigrationDatabase`, for option shapes (`checkOptions` of `@promenade/core/adapter`). */
export const isMigrationDatabase: OptionCheck = (value, { packageName, path }) => {
  const ok =
    (typeof value === 'string' && (value.startsWith('file:') || POSTGRES_URL.test(value))) ||
    isSqliteDatabase(value) ||
    isPgQueryable(value);
  if (!ok) {
    throw optionError(
      packageName,
      path,
      'must be a file: or postgresql:// URL, a better-sqlite3 Database, or a pg Pool or Client',
      typeof value === 'string' ? value.replace(/\/\/[^@/]*@/, '//***@') : value,
    );
  }
};

/** The `schema` URL parameter Prisma reads on PostgreSQL. */
function schemaOf(url: string): string | undefined {
  try {
    return new URL(url).searchParams.get('schema') ?? undefined;
  } catch {
    return undefined;
  }
}

/** SQLite's path in a `file:` URL, relative to the working directory as PrismaBetterSqlite3 reads it. */
function sqlitePath(url: string): string {
  return url.slice('file:'.length).replace(/\?.*$/, '');
}

/**
 * A store on the database: one opened from a URL (and closed by `close()`), or one over a
 * connection the caller handed in (left open). Drivers load only when a URL needs them.
 */
export async function openMigrationStore(
  database: MigrationDatabase,
  schema: string | undefined,
): Promise<MigrationStore> {
  if (typeof database === 'string') {
    if (database.startsWith('file:')) {
      const { default: Database } = await import('better-sqlite3');
      return new SqliteMigrationStore(new Database(sqlitePath(database)), true);
    }
    const { default: pg } = await import('pg');
    // Prisma's `schema` parameter means nothing to pg: take it out of what pg sees.
    const url = new URL(database);
    url.searchParams.delete('schema');
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    return new PostgresMigrationStore(client, schema ?? schemaOf(database) ?? 'public', true);
  }
  if (isSqliteDatabase(database)) return new SqliteMigrationStore(database, false);
  return new PostgresMigrationStore(database, schema ?? 'public', false);
}
