import { checkOptions, isNonEmptyString, type OptionShape } from '@promenade/core';
import { PACKAGE_NAME } from '../metric-names.js';
import { requireOption } from '../options.js';
import type { MigrationOptions } from '../types.js';
import { isMigrationDatabase } from './open-store.js';

export const migrationShape: OptionShape = {
  migrationsPath: isNonEmptyString,
  database: isMigrationDatabase,
  schema: isNonEmptyString,
};

/** Validates the options of the migration tools once; returns a copy the caller cannot change under us. */
export function resolveMigrationOptions(
  options: unknown,
  shape: OptionShape = migrationShape,
): MigrationOptions {
  const input = checkOptions(options ?? {}, shape, PACKAGE_NAME);
  requireOption(input, 'migrationsPath');
  requireOption(input, 'database');
  return { ...(input as unknown as MigrationOptions) };
}
