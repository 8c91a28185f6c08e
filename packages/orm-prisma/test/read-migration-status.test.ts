import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MigrationFolderError, readMigrationStatus } from '@promenade/orm-prisma/migrations';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// The offline migration tool depends on this package; its tests reach it by path, so that the
// workspace has no cycle.
import { applyMigrations } from '../../../tools/prisma-migrate/src/index.js';
import { copyMigrations, type TempDir, tempDir } from './support/databases.js';
import { rejection } from './support/rejection.js';

const INIT = '20250101000000_init';
const NOTES = '20250201000000_walk_notes';

let dir: TempDir;
let migrationsPath: string;
let url: string;

beforeEach(() => {
  dir = tempDir('status');
  migrationsPath = copyMigrations('sqlite', dir.path);
  url = `file:${join(dir.path, 'walks.db')}`;
});

afterEach(() => dir.remove());

describe('readMigrationStatus', () => {
  it('reads applied, pending and failed migrations as prisma migrate status does', async () => {
    expect(await readMigrationStatus({ migrationsPath, database: url })).toEqual({
      applied: [],
      pending: [INIT],
      failed: [],
    });
    await applyMigrations({ migrationsPath, database: url });
    mkdirSync(join(migrationsPath, NOTES));
    writeFileSync(
      join(migrationsPath, NOTES, 'migration.sql'),
      'ALTER TABLE "Walk" ADD COLUMN "notes" TEXT;\n',
    );
    const db = new Database(join(dir.path, 'walks.db'));
    try {
      // What Prisma leaves behind when a migration's SQL fails: a row that started and never finished.
      db.prepare(
        `INSERT INTO "_prisma_migrations" (id, checksum, started_at, migration_name) VALUES ('x', 'c', 1, ?)`,
      ).run(NOTES);
      expect(await readMigrationStatus({ migrationsPath, database: db })).toEqual({
        applied: [INIT],
        pending: [NOTES],
        failed: [NOTES],
      });
      // A connection handed in is the caller's to close.
      expect(db.open).toBe(true);
    } finally {
      db.close();
    }
  });

  it('reports a folder it cannot read with a coded error', async () => {
    const missing = join(dir.path, 'nowhere');
    const error = await rejection<MigrationFolderError>(
      readMigrationStatus({ migrationsPath: missing, database: url }),
    );
    expect(error).toBeInstanceOf(MigrationFolderError);
    expect(error.code).toBe('ERR_PROMENADE_MIGRATION_FOLDER');
    expect(error.message).toBe(`@promenade/orm-prisma: cannot read the migrations folder "${missing}"`);
  });

  it('validates its options, with coded errors that name the package', async () => {
    await expect(
      readMigrationStatus({ migrationsPath, database: url, alias: 'walks' } as never),
    ).rejects.toMatchObject({
      code: 'ERR_PROMENADE_UNKNOWN_OPTION',
      message: expect.stringMatching(/^@promenade\/orm-prisma: option "alias" is not a known option/),
    });
    await expect(readMigrationStatus({ migrationsPath } as never)).rejects.toMatchObject({
      code: 'ERR_PROMENADE_INVALID_OPTION',
      message: '@promenade/orm-prisma: option "database" is required (received undefined)',
    });
  });
});
