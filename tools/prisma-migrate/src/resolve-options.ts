import { checkOptions, isNonEmptyString, type OptionShape, optionError } from '@promenade/core/adapter';
import { isMigrationDatabase } from '@promenade/orm-prisma/migrations';
import { PACKAGE_NAME } from './package-name.js';
import type { MigrationOptions } from './types.js';

const migrationShape: OptionShape = {
  migrationsPath: isNonEmptyString,
  database: isMigrationDatabase,
  schema: isNonEmptyString,
};

/** Validates the options once; returns a copy the caller cannot change under us. */
export function resolveMigrationOptions(options: unknown): MigrationOptions {
  const input = checkOptions(options ?? {}, migrationShape, PACKAGE_NAME);
  for (const key of ['migrationsPath', 'database']) {
    if (input[key] === undefined) throw optionError(PACKAGE_NAME, key, 'is required', undefined);
  }
  return { ...(input as unknown as MigrationOptions) };
}
