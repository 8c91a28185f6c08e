import { MigrationError } from './migration-error.js';
import {
  lockedProvider,
  type MigrationFile,
  matchesChecksum,
  readMigrationFiles,
} from './migration-files.js';
import { resolveMigrationOptions } from './migration-options.js';
import { computeStatus } from './migration-status.js';
import type { MigrationRow, MigrationStore } from './migration-store.js';
import { openStore } from './open-store.js';
import type { ApplyResult, MigrationOptions, MigrationStatus } from './types.js';

async function checkProvider(migrationsPath: string, store: MigrationStore): Promise<void> {
  const locked = await lockedProvider(migrationsPath);
  if (locked !== undefined && locked !== store.provider) {
    throw new MigrationError(
      'ERR_PROMENADE_MIGRATION_PROVIDER',
      `the migrations in "${migrationsPath}" are for ${locked} (migration_lock.toml), the database is ${store.provider}`,
    );
  }
}

/** Refuses to build on history that changed: an applied migration's file must be the one that ran. */
function checkAppliedChecksums(files: readonly MigrationFile[], rows: readonly MigrationRow[]): void {
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

async function ensureTable(store: MigrationStore): Promise<MigrationRow[]> {
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
  const files = await readMigrationFiles(migrationsPath);
  const store = await openStore(database, schema);
  try {
    await checkProvider(migrationsPath, store);
    return await store.withLock(async () => {
      const rows = await ensureTable(store);
      checkAppliedChecksums(files, rows);
      const status = computeStatus(files, rows);
      checkNoFailed(status);
      const applied: string[] = [];
      for (const file of files.filter((candidate) => status.pending.includes(candidate.name))) {
        try {
          if (await store.apply(file)) applied.push(file.name);
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

/** Applied, pending and failed migrations of a folder against a database, changing nothing. */
export async function readMigrationStatus(options: MigrationOptions): Promise<MigrationStatus> {
  const { migrationsPath, database, schema } = resolveMigrationOptions(options);
  const files = await readMigrationFiles(migrationsPath);
  const store = await openStore(database, schema);
  try {
    return computeStatus(files, await store.readRows());
  } finally {
    await store.close();
  }
}
