import {
  computeMigrationStatus,
  type MigrationRow,
  type MigrationStatus,
  openMigrationStore,
  readMigrationStatus as readStatus,
} from '@promenade/orm-prisma/migrations';
import { MigrationError } from './migration-error.js';
import { lockedProvider } from './migration-lock.js';
import { type MigrationScript, matchesChecksum, readMigrationScripts } from './migration-scripts.js';
import type { MigrationWriter } from './migration-writer.js';
import { writerFor } from './open-writer.js';
import { resolveMigrationOptions } from './resolve-options.js';
import type { ApplyResult, MigrationOptions } from './types.js';

async function checkProvider(migrationsPath: string, provider: string): Promise<void> {
  const locked = await lockedProvider(migrationsPath);
  if (locked !== undefined && locked !== provider) {
    throw new MigrationError(
      'ERR_PROMENADE_MIGRATION_PROVIDER',
      `the migrations in "${migrationsPath}" are for ${locked} (migration_lock.toml), the database is ${provider}`,
    );
  }
}

/** Refuses to build on history that changed: an applied migration's file must be the one that ran. */
function checkAppliedChecksums(files: readonly MigrationScript[], rows: readonly MigrationRow[]): void {
  const byName = new Map(files.map((file) => [file.name, file]));
  for (const row of rows) {
    if (!row.finished || row.rolledBack) continue;
    const file = byName.get(row.migrationName);
    if (file && !matchesChecksum(file.script, row.checksum)) {
      throw new MigrationError(
        'ERR_PROMENADE_MIGRATION_CHECKSUM',
        `migration "${file.name}" was modified after it was applied (checksum ${row.checksum} recorded, ${file.checksum} on disk); restore the file, or reset the database in development`,
        { migration: file.name },
      );
    }
  }
}

function checkNoFailed(status: MigrationStatus): void {
  const [failed] = status.failed;
  if (failed !== undefined) {
    throw new MigrationError(
      'ERR_PROMENADE_MIGRATION_BLOCKED',
      `migration "${failed}" started earlier and never finished; fix the database, then mark it with \`prisma migrate resolve\``,
      { migration: failed },
    );
  }
}

async function ensureTable(store: MigrationWriter): Promise<MigrationRow[]> {
  const rows = await store.readRows();
  if (rows) return rows;
  if (await store.hasOtherTables()) {
    throw new MigrationError(
      'ERR_PROMENADE_MIGRATION_SCHEMA_NOT_EMPTY',
      'the database has tables but no _prisma_migrations table; baseline it first (`prisma migrate resolve --applied <migration>`)',
    );
  }
  await store.createTable();
  return [];
}

/**
 * Applies the pending migrations of a Prisma migrations folder, in order, each in its own
 * transaction, recording them in `_prisma_migrations` as `prisma migrate deploy` does, so that
 * the two can take turns on one database. For machines where Prisma's schema engine cannot be
 * downloaded.
 */
export async function applyMigrations(options: MigrationOptions): Promise<ApplyResult> {
  const { migrationsPath, database, schema } = resolveMigrationOptions(options);
  const files = await readMigrationScripts(migrationsPath);
  const store = await openMigrationStore(database, schema);
  try {
    await checkProvider(migrationsPath, store.provider);
    const writer = writerFor(store);
    return await writer.withLock(async () => {
      const rows = await ensureTable(writer);
      checkAppliedChecksums(files, rows);
      const status = computeMigrationStatus(
        files.map((file) => file.name),
        rows,
      );
      checkNoFailed(status);
      const applied: string[] = [];
      for (const file of files.filter((candidate) => status.pending.includes(candidate.name))) {
        try {
          if (await writer.apply(file)) applied.push(file.name);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new MigrationError(
            'ERR_PROMENADE_MIGRATION_FAILED',
            `migration "${file.name}" failed and was rolled back: ${reason}`,
            { migration: file.name, cause: error },
          );
        }
      }
      return { applied, alreadyApplied: status.applied };
    });
  } finally {
    await store.close();
  }
}

/**
 * Applied, pending and failed migrations of a folder against a database, changing nothing:
 * orm-prisma's reader, behind this package's option messages.
 */
export async function readMigrationStatus(options: MigrationOptions): Promise<MigrationStatus> {
  return readStatus(resolveMigrationOptions(options));
}
