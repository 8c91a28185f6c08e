import type { MigrationStore } from '@promenade/orm-prisma/migrations';
import type { MigrationWriter } from './migration-writer.js';
import { PostgresMigrationWriter } from './postgres-writer.js';
import { SqliteMigrationWriter } from './sqlite-writer.js';

/** The writer for the provider of orm-prisma's store, on the store's connection. */
export function writerFor(store: MigrationStore): MigrationWriter {
  return store.provider === 'sqlite' ? new SqliteMigrationWriter(store) : new PostgresMigrationWriter(store);
}
