import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMigrations, MigrationError, readMigrationStatus, runMigrateCli } from '../src/index.js';
import { copyMigrations, fixturesDir, type TempDir, tempDir } from './support/databases.js';
import { rejection } from './support/rejection.js';

const NOTES = '20250201000000_walk_notes';

let dir: TempDir;
let migrationsPath: string;
let url: string;

beforeEach(() => {
  dir = tempDir('migrations');
  migrationsPath = copyMigrations('sqlite', dir.path);
  url = `file:${join(dir.path, 'walks.db')}`;
});

afterEach(() => dir.remove());

function addMigration(name: string, sql: string): void {
  mkdirSync(join(migrationsPath, name));
  writeFileSync(join(migrationsPath, name, 'migration.sql'), sql);
}

function withDatabase<T>(read: (db: Database.Database) => T): T {
  const db = new Database(join(dir.path, 'walks.db'));
  try {
    return read(db);
  } finally {
    db.close();
  }
}

describe('applyMigrations on SQLite', () => {
  it('applies pending migrations in order and records them as Prisma does', async () => {
    addMigration(NOTES, 'ALTER TABLE "Walk" ADD COLUMN "notes" TEXT;\n');
    expect(await applyMigrations({ migrationsPath, database: url })).toEqual({
      applied: ['20250101000000_init', NOTES],
      alreadyApplied: [],
    });
    const rows = withDatabase((db) =>
      db.prepare('SELECT * FROM "_prisma_migrations" ORDER BY migration_name').all(),
    ) as Record<string, unknown>[];
    const script = readFileSync(join(migrationsPath, '20250101000000_init', 'migration.sql'), 'utf8');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      checksum: createHash('sha256').update(script).digest('hex'),
      migration_name: '20250101000000_init',
      logs: null,
      rolled_back_at: null,
      applied_steps_count: 1,
    });
    expect(rows[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Prisma's engine writes SQLite timestamps as epoch milliseconds.
    expect(typeof rows[0]!.started_at).toBe('number');
    expect(rows[0]!.finished_at).toBeGreaterThanOrEqual(rows[0]!.started_at as number);
    const columns = withDatabase((db) => db.prepare(`PRAGMA table_info("_prisma_migrations")`).all());
    expect(
      columns.map((c: any) => `${c.name} ${c.type}${c.notnull ? ' NOT NULL' : ''}${c.pk ? ' PK' : ''}`),
    ).toEqual([
      'id TEXT NOT NULL PK',
      'checksum TEXT NOT NULL',
      'finished_at DATETIME',
      'migration_name TEXT NOT NULL',
      'logs TEXT',
      'rolled_back_at DATETIME',
      'started_at DATETIME NOT NULL',
      'applied_steps_count INTEGER UNSIGNED NOT NULL',
    ]);
    expect(withDatabase((db) => db.prepare('SELECT "notes" FROM "Walk"').all())).toEqual([]);
  });

  it('applies nothing the second time', async () => {
    await applyMigrations({ migrationsPath, database: url });
    expect(await applyMigrations({ migrationsPath, database: url })).toEqual({
      applied: [],
      alreadyApplied: ['20250101000000_init'],
    });
  });

  it('refuses to continue when an applied migration was modified, and applies nothing after it', async () => {
    await applyMigrations({ migrationsPath, database: url });
    const file = join(migrationsPath, '20250101000000_init', 'migration.sql');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, `${original}\n-- edited after the fact\n`);
    addMigration(NOTES, 'ALTER TABLE "Walk" ADD COLUMN "notes" TEXT;\n');
    const error = await rejection<MigrationError>(applyMigrations({ migrationsPath, database: url }));
    const recorded = createHash('sha256').update(original).digest('hex');
    const onDisk = createHash('sha256').update(readFileSync(file, 'utf8')).digest('hex');
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.code).toBe('ERR_PROMENADE_MIGRATION_CHECKSUM');
    expect(error.migration).toBe('20250101000000_init');
    expect(error.message).toBe(
      `@promenade/prisma-migrate: migration "20250101000000_init" was modified after it was applied (checksum ${recorded} recorded, ${onDisk} on disk); restore the file, or reset the database in development`,
    );
    expect((await readMigrationStatus({ migrationsPath, database: url })).pending).toEqual([NOTES]);
  });

  it('accepts a file whose line endings alone changed, as Prisma does', async () => {
    await applyMigrations({ migrationsPath, database: url });
    const file = join(migrationsPath, '20250101000000_init', 'migration.sql');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));
    expect((await applyMigrations({ migrationsPath, database: url })).applied).toEqual([]);
  });

  it('rolls a failing migration back whole and records nothing for it', async () => {
    await applyMigrations({ migrationsPath, database: url });
    addMigration(NOTES, 'CREATE TABLE "Leash" ("id" INTEGER);\nALTER TABLE "Nope" ADD COLUMN "x" TEXT;\n');
    const error = await rejection<MigrationError>(applyMigrations({ migrationsPath, database: url }));
    expect(error.code).toBe('ERR_PROMENADE_MIGRATION_FAILED');
    expect(error.message).toBe(
      `@promenade/prisma-migrate: migration "${NOTES}" failed and was rolled back: no such table: Nope`,
    );
    const tables = withDatabase((db) =>
      db.prepare(`SELECT name FROM sqlite_master WHERE name = 'Leash'`).all(),
    );
    expect(tables).toEqual([]);
    expect(withDatabase((db) => db.prepare('SELECT COUNT(*) AS n FROM "_prisma_migrations"').get())).toEqual({
      n: 1,
    });
  });

  it('redefines a table as Prisma does on SQLite without cascading deletes to the rows that reference it', async () => {
    addMigration(
      '20250115000000_leashes',
      'CREATE TABLE "Leash" ("id" INTEGER NOT NULL PRIMARY KEY, "dogId" INTEGER NOT NULL, ' +
        'CONSTRAINT "Leash_dogId_fkey" FOREIGN KEY ("dogId") REFERENCES "Dog" ("id") ON DELETE CASCADE ON UPDATE CASCADE);\n',
    );
    await applyMigrations({ migrationsPath, database: url });
    withDatabase((db) =>
      db.exec(
        `INSERT INTO "Dog" ("name", "breed") VALUES ('Rex', 'Beagle'); INSERT INTO "Leash" VALUES (1, 1);`,
      ),
    );
    // What `prisma migrate dev` writes for a column added with a default on SQLite.
    addMigration(
      NOTES,
      [
        '-- RedefineTables',
        'PRAGMA defer_foreign_keys=ON;',
        'PRAGMA foreign_keys=OFF;',
        'CREATE TABLE "new_Dog" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "name" TEXT NOT NULL, "breed" TEXT NOT NULL, "size" TEXT NOT NULL DEFAULT \'M\');',
        'INSERT INTO "new_Dog" ("id", "name", "breed") SELECT "id", "name", "breed" FROM "Dog";',
        'DROP TABLE "Dog";',
        'ALTER TABLE "new_Dog" RENAME TO "Dog";',
        'PRAGMA foreign_keys=ON;',
        'PRAGMA defer_foreign_keys=OFF;',
        '',
      ].join('\n'),
    );
    expect((await applyMigrations({ migrationsPath, database: url })).applied).toEqual([NOTES]);
    expect(withDatabase((db) => db.prepare('SELECT * FROM "Leash"').all())).toEqual([{ id: 1, dogId: 1 }]);
    expect(withDatabase((db) => db.prepare('SELECT "size" FROM "Dog"').all())).toEqual([{ size: 'M' }]);
  });

  it('rolls back a migration that would leave rows pointing nowhere', async () => {
    await applyMigrations({ migrationsPath, database: url });
    withDatabase((db) =>
      db.exec(`INSERT INTO "Walker" ("name", "email") VALUES ('Ana', 'a@example.com');
        INSERT INTO "Dog" ("name", "breed") VALUES ('Rex', 'Beagle');
        INSERT INTO "Walk" ("walkerId", "dogId", "startsAt", "minutes") VALUES (1, 1, 0, 30);`),
    );
    addMigration(NOTES, 'DELETE FROM "Dog";\n');
    const error = await rejection<MigrationError>(applyMigrations({ migrationsPath, database: url }));
    expect(error.code).toBe('ERR_PROMENADE_MIGRATION_FAILED');
    expect(error.message).toBe(
      `@promenade/prisma-migrate: migration "${NOTES}" failed and was rolled back: 1 row(s) would break a foreign key (first: table "Walk" referencing "Dog")`,
    );
    expect(withDatabase((db) => db.prepare('SELECT COUNT(*) AS n FROM "Dog"').get())).toEqual({ n: 1 });
  });

  it('refuses a database that has tables but no migrations table', async () => {
    withDatabase((db) => db.exec('CREATE TABLE "Legacy" ("id" INTEGER)'));
    const error = await rejection<MigrationError>(applyMigrations({ migrationsPath, database: url }));
    expect(error.code).toBe('ERR_PROMENADE_MIGRATION_SCHEMA_NOT_EMPTY');
  });

  it('refuses migrations locked to another provider', async () => {
    const postgresMigrations = join(dir.path, 'pg');
    cpSync(join(fixturesDir, 'postgresql', 'migrations'), postgresMigrations, { recursive: true });
    const error = await rejection<MigrationError>(
      applyMigrations({ migrationsPath: postgresMigrations, database: url }),
    );
    expect(error.code).toBe('ERR_PROMENADE_MIGRATION_PROVIDER');
    expect(error.message).toBe(
      `@promenade/prisma-migrate: the migrations in "${postgresMigrations}" are for postgresql (migration_lock.toml), the database is sqlite`,
    );
  });

  it('works on a better-sqlite3 Database it is handed, and leaves it open', async () => {
    const db = new Database(join(dir.path, 'walks.db'));
    try {
      expect((await applyMigrations({ migrationsPath, database: db })).applied).toEqual([
        '20250101000000_init',
      ]);
      expect(db.open).toBe(true);
      // Foreign keys were switched off around the migration, and are back on.
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      db.close();
    }
  });

  it('validates its options once, with coded errors', async () => {
    await expect(applyMigrations({ migrationsPath, database: 'mysql://localhost/x' })).rejects.toMatchObject({
      code: 'ERR_PROMENADE_INVALID_OPTION',
      message:
        '@promenade/prisma-migrate: option "database" must be a file: or postgresql:// URL, a better-sqlite3 Database, or a pg Pool or Client (received "mysql://localhost/x")',
    });
    await expect(applyMigrations({ migrationPath: 'x', database: url } as never)).rejects.toMatchObject({
      code: 'ERR_PROMENADE_UNKNOWN_OPTION',
      message:
        '@promenade/prisma-migrate: option "migrationPath" is not a known option; did you mean "migrationsPath"? (received "x")',
    });
    await expect(applyMigrations({ database: url } as never)).rejects.toMatchObject({
      code: 'ERR_PROMENADE_INVALID_OPTION',
      message: '@promenade/prisma-migrate: option "migrationsPath" is required (received undefined)',
    });
  });
});

describe('promenade-prisma-migrate', () => {
  function io(env: Record<string, string> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      io: { out: (line: string) => out.push(line), err: (line: string) => err.push(line), env },
    };
  }

  it('deploys, then reports the status', async () => {
    const deploy = io({ DATABASE_URL: url });
    expect(await runMigrateCli(['deploy', '--migrations', migrationsPath], deploy.io)).toBe(0);
    expect(deploy.out).toEqual(['applied  20250101000000_init', '1 applied now, 0 applied before']);
    addMigration(NOTES, 'ALTER TABLE "Walk" ADD COLUMN "notes" TEXT;\n');
    const status = io();
    expect(await runMigrateCli(['status', '--migrations', migrationsPath, '--url', url], status.io)).toBe(1);
    expect(status.out).toEqual([
      'applied  20250101000000_init',
      `pending  ${NOTES}`,
      '1 applied, 1 pending, 0 failed',
    ]);
  });

  it('prints the coded error and exits 1 when it refuses', async () => {
    await applyMigrations({ migrationsPath, database: url });
    const file = join(migrationsPath, '20250101000000_init', 'migration.sql');
    writeFileSync(file, 'SELECT 1;\n');
    const run = io();
    expect(await runMigrateCli(['--migrations', migrationsPath, '--url', url], run.io)).toBe(1);
    expect(run.err).toHaveLength(1);
    expect(run.err[0]).toMatch(
      /^promenade-prisma-migrate: ERR_PROMENADE_MIGRATION_CHECKSUM: @promenade\/prisma-migrate: migration "20250101000000_init" was modified/,
    );
  });

  it('exits 2 with the usage on an unknown flag', async () => {
    const run = io({ DATABASE_URL: url });
    expect(await runMigrateCli(['--migration', migrationsPath], run.io)).toBe(2);
    expect(run.err[0]).toBe(
      "promenade-prisma-migrate: Unknown option '--migration'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--migration\"",
    );
    expect(run.err[1]).toMatch(/^Usage: promenade-prisma-migrate/);
  });

  it('asks for a database when none is given', async () => {
    const run = io();
    expect(await runMigrateCli([], run.io)).toBe(2);
    expect(run.err).toEqual(['promenade-prisma-migrate: no database: pass --url or set DATABASE_URL']);
  });
});
