import { checkOptions, isFunction, isNonEmptyString, type OptionShape } from '@promenade/core/adapter';
import { PACKAGE_NAME } from '../metric-names.js';
import { baseShape, isLabelValue, requireOption } from '../options.js';
import type { MigrationMetricsOptions, MigrationStatusOptions } from '../types.js';
import { isMigrationDatabase } from './open-store.js';

const migrationStatusShape: OptionShape = {
  migrationsPath: isNonEmptyString,
  database: isMigrationDatabase,
  schema: isNonEmptyString,
};

const migrationMetricsShape: OptionShape = {
  ...migrationStatusShape,
  registry: baseShape.registry!,
  prefix: baseShape.prefix!,
  alias: isLabelValue,
  onError: isFunction,
};

function resolve<T>(options: unknown, shape: OptionShape): T {
  const input = checkOptions(options ?? {}, shape, PACKAGE_NAME);
  requireOption(input, 'migrationsPath');
  requireOption(input, 'database');
  return { ...input } as T;
}

/** Validates the options of the migration gauges once; returns a copy the caller cannot change under us. */
export function resolveMigrationOptions(options: unknown): MigrationMetricsOptions {
  return resolve(options, migrationMetricsShape);
}

/** Validates the options of `readMigrationStatus`; returns a copy. */
export function resolveMigrationStatusOptions(options: unknown): MigrationStatusOptions {
  return resolve(options, migrationStatusShape);
}
