import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MigrationError } from './migration-error.js';

export interface MigrationFile {
  /** The folder name, `<timestamp>_<name>`: what `_prisma_migrations.migration_name` holds. */
  readonly name: string;
  readonly script: string;
  /** sha256 of migration.sql in lowercase hex, as Prisma records it. */
  readonly checksum: string;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Whether a script still matches the checksum recorded when it was applied. Like Prisma, a
 * checkout that only turned LF into CRLF (or back) is not a change.
 */
export function matchesChecksum(script: string, checksum: string): boolean {
  if (sha256Hex(script) === checksum) return true;
  const lf = script.replace(/\r\n/g, '\n');
  return sha256Hex(lf) === checksum || sha256Hex(lf.replace(/\n/g, '\r\n')) === checksum;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

/** The migrations of a folder in the order Prisma applies them: by folder name. */
export async function readMigrationFiles(migrationsPath: string): Promise<MigrationFile[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(migrationsPath, { withFileTypes: true });
  } catch (error) {
    throw new MigrationError(
      'ERR_PROMENADE_MIGRATION_FOLDER',
      `cannot read the migrations folder "${migrationsPath}"`,
      {
        cause: error,
      },
    );
  }
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const file = join(migrationsPath, name, 'migration.sql');
      let script: string;
      try {
        script = await readFile(file, 'utf8');
      } catch (error) {
        const reason = isMissing(error) ? 'has no migration.sql' : 'has a migration.sql that cannot be read';
        throw new MigrationError('ERR_PROMENADE_MIGRATION_FOLDER', `migration "${name}" ${reason}`, {
          migration: name,
          cause: error,
        });
      }
      return { name, script, checksum: sha256Hex(script) };
    }),
  );
}

/** The provider migration_lock.toml pins the folder to, if the file is there. */
export async function lockedProvider(migrationsPath: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(join(migrationsPath, 'migration_lock.toml'), 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  return /^\s*provider\s*=\s*"([^"]+)"/m.exec(text)?.[1];
}
