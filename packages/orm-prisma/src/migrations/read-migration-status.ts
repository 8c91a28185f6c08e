import type { MigrationStatus, MigrationStatusOptions } from '../types.js';
import { readMigrationNames } from './migration-files.js';
import { resolveMigrationStatusOptions } from './migration-options.js';
import { computeMigrationStatus } from './migration-status.js';
import { openMigrationStore } from './open-store.js';

/**
 * Applied, pending and failed migrations of a folder against a database, read once, as
 * `prisma migrate status` reports them but without Prisma's engine: for a readiness check or a
 * deploy step that refuses to go on with pending migrations. It changes nothing.
 */
export async function readMigrationStatus(options: MigrationStatusOptions): Promise<MigrationStatus> {
  const { migrationsPath, database, schema } = resolveMigrationStatusOptions(options);
  const names = await readMigrationNames(migrationsPath);
  const store = await openMigrationStore(database, schema);
  try {
    return computeMigrationStatus(names, await store.readRows());
  } finally {
    await store.close();
  }
}
