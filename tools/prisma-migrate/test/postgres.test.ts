import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type PostgresHandle, startPostgres } from '../../../test/support/stack.js';
import { applyMigrations, type MigrationError } from '../src/index.js';
import { copyMigrations, type TempDir, tempDir } from './support/databases.js';
import { rejection } from './support/rejection.js';

// Real PostgreSQL 15, required: if it cannot start, this file fails.
let postgres: PostgresHandle;
let dir: TempDir;
let migrationsPath: string;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  postgres = await startPostgres();
});

afterAll(async () => {
  await postgres?.stop();
});

beforeEach(async () => {
  await postgres.sql('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  dir = tempDir('postgres');
  migrationsPath = copyMigrations('postgresql', dir.path);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  dir.remove();
});

function pool(connectionString = postgres.url, max = 4): pg.Pool {
  const created = new pg.Pool({ connectionString, max });
  cleanups.push(() => created.end());
  return created;
}

describe('applyMigrations on PostgreSQL 15', () => {
  it('applies the migrations with the rows and table Prisma writes', async () => {
    expect(await applyMigrations({ migrationsPath, database: postgres.url })).toEqual({
      applied: ['20250101000000_init'],
      alreadyApplied: [],
    });
    const script = readFileSync(join(migrationsPath, '20250101000000_init', 'migration.sql'), 'utf8');
    const row = await postgres.sql(
      `SELECT checksum, migration_name, logs IS NULL, rolled_back_at IS NULL, finished_at >= started_at, applied_steps_count FROM "_prisma_migrations"`,
    );
    expect(row).toBe(`${createHash('sha256').update(script).digest('hex')}|20250101000000_init|t|t|t|1`);
    const columns = await postgres.sql(
      `SELECT column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '') || ' ' || is_nullable
       FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns.split('\n')).toEqual([
      'id character varying(36) NO',
      'checksum character varying(64) NO',
      'finished_at timestamp with time zone YES',
      'migration_name character varying(255) NO',
      'logs text YES',
      'rolled_back_at timestamp with time zone YES',
      'started_at timestamp with time zone NO',
      'applied_steps_count integer NO',
    ]);
    expect(
      await postgres.sql(`SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'`),
    ).toBe('4');
  });

  it("applies into the schema the URL's schema parameter names", async () => {
    await postgres.sql('DROP SCHEMA IF EXISTS tenant CASCADE');
    const database = `${postgres.url}?schema=tenant`;
    expect((await applyMigrations({ migrationsPath, database })).applied).toEqual(['20250101000000_init']);
    expect(
      await postgres.sql(
        `SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'tenant'`,
      ),
    ).toBe('Dog,Walk,Walker,_prisma_migrations');
    expect(
      await postgres.sql(`SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'`),
    ).toBe('0');
    expect((await applyMigrations({ migrationsPath, database })).applied).toEqual([]);
  });

  it('applies through a pool of one connection: the reads under the lock run on the client holding it', async () => {
    const single = pool(postgres.url, 1);
    // A read sent to the pool would wait for the one client the advisory lock holds, until the test times out.
    expect(await applyMigrations({ migrationsPath, database: single })).toEqual({
      applied: ['20250101000000_init'],
      alreadyApplied: [],
    });
    expect(await applyMigrations({ migrationsPath, database: single })).toEqual({
      applied: [],
      alreadyApplied: ['20250101000000_init'],
    });
    expect(single.totalCount).toBe(1);
    expect(single.idleCount).toBe(1);
  });

  it('refuses to continue when an applied migration changed', async () => {
    await applyMigrations({ migrationsPath, database: postgres.url });
    writeFileSync(join(migrationsPath, '20250101000000_init', 'migration.sql'), 'SELECT 1;\n');
    const error = await rejection<MigrationError>(applyMigrations({ migrationsPath, database: pool() }));
    expect(error.code).toBe('ERR_PROMENADE_MIGRATION_CHECKSUM');
    expect(error.migration).toBe('20250101000000_init');
  });

  it('rolls a failing migration back whole', async () => {
    await applyMigrations({ migrationsPath, database: postgres.url });
    const name = '20250201000000_broken';
    mkdirSync(join(migrationsPath, name));
    writeFileSync(
      join(migrationsPath, name, 'migration.sql'),
      'CREATE TABLE "Leash" ("id" INTEGER);\nALTER TABLE "Nope" ADD COLUMN "x" TEXT;\n',
    );
    const error = await rejection<MigrationError>(
      applyMigrations({ migrationsPath, database: postgres.url }),
    );
    expect(error.code).toBe('ERR_PROMENADE_MIGRATION_FAILED');
    expect(error.message).toBe(
      `@promenade/prisma-migrate: migration "${name}" failed and was rolled back: relation "Nope" does not exist`,
    );
    expect(await postgres.sql(`SELECT to_regclass('public."Leash"') IS NULL`)).toBe('t');
    expect(await postgres.sql('SELECT count(*) FROM "_prisma_migrations"')).toBe('1');
  });
});
