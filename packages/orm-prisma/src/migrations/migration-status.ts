import type { MigrationStatus } from '../types.js';
import type { MigrationRow } from './migration-row.js';

/**
 * Applied, pending and failed migrations, as `prisma migrate status` sees them: a migration is
 * applied when a row of its name finished and was not rolled back; failed when a row of its name
 * started and neither finished nor was rolled back. Failed migrations are pending too.
 */
export function computeMigrationStatus(
  fileNames: readonly string[],
  rows: readonly MigrationRow[] | undefined,
): MigrationStatus {
  const applied = new Set<string>();
  const started = new Set<string>();
  for (const row of rows ?? []) {
    if (row.rolledBack) continue;
    (row.finished ? applied : started).add(row.migrationName);
  }
  // Rows for folders that are gone still count as applied, as Django counts recorded migrations.
  const appliedInOrder = [
    ...fileNames.filter((name) => applied.has(name)),
    ...[...applied].filter((name) => !fileNames.includes(name)).sort(),
  ];
  return {
    applied: appliedInOrder,
    pending: fileNames.filter((name) => !applied.has(name)),
    failed: fileNames.filter((name) => started.has(name) && !applied.has(name)),
  };
}
