import { readdir } from 'node:fs/promises';
import { PACKAGE_NAME } from '../metric-names.js';

/** The migrations folder cannot be read; `onError` of the migration gauges receives it. */
export class MigrationFolderError extends Error {
  override readonly name = 'MigrationFolderError';
  readonly code = 'ERR_PROMENADE_MIGRATION_FOLDER';
}

/** The migrations of a folder (`<timestamp>_<name>` folders) in the order Prisma applies them: by name. */
export async function readMigrationNames(migrationsPath: string): Promise<string[]> {
  try {
    const entries = await readdir(migrationsPath, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    throw new MigrationFolderError(`${PACKAGE_NAME}: cannot read the migrations folder "${migrationsPath}"`, {
      cause: error,
    });
  }
}
