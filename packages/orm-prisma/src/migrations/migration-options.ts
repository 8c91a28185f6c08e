import { checkOptions, isFunction, isNonEmptyString, type OptionShape } from '@promenade/core/adapter';
import { PACKAGE_NAME } from '../metric-names.js';
import { baseShape, isLabelValue, requireOption } from '../options.js';
import type { MigrationMetricsOptions } from '../types.js';
import { isMigrationDatabase } from './open-store.js';

const migrationMetricsShape: OptionShape = {
  migrationsPath: isNonEmptyString,
  database: isMigrationDatabase,
  schema: isNonEmptyString,
  registry: baseShape.registry!,
  prefix: baseShape.prefix!,
  alias: isLabelValue,
  onError: isFunction,
};

/** Validates the options of the migration gauges once; returns a copy the caller cannot change under us. */
export function resolveMigrationOptions(options: unknown): MigrationMetricsOptions {
  const input = checkOptions(options ?? {}, migrationMetricsShape, PACKAGE_NAME);
  requireOption(input, 'migrationsPath');
  requireOption(input, 'database');
  return { ...(input as unknown as MigrationMetricsOptions) };
}
