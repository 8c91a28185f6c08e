import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readMigrationNames } from '@promenade/orm-prisma/migrations';
import { MigrationError } from './migration-error.js';

export interface MigrationScript {
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

export function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

/**
 * The scripts of a folder's migrations, in the order Prisma applies them. Which folders are
 * migrations, and their order, is orm-prisma's reading (it throws its `MigrationFolderError`,
 * of the same code, when the folder cannot be read).
 */
export async function readMigrationScripts(migrationsPath: string): Promise<MigrationScript[]> {
  const names = await readMigrationNames(migrationsPath);
  return Promise.all(
    names.map(async (name) => {
      let script: string;
      try {
        script = await readFile(join(migrationsPath, name, 'migration.sql'), 'utf8');
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
