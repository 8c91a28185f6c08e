// `@promenade/orm-prisma/migrations`: Prisma's migration state, read without Prisma's engine.
// Applications use `readMigrationStatus`; the store, the folder reader and the status
// computation are for tools that build on the same reading (the workspace's offline applier
// writes through the store's connection). docs/architecture.md, "orm-prisma", says why the
// reader lives here.
export { MigrationFolderError, readMigrationNames } from './migrations/migration-files.js';
export type { MigrationRow } from './migrations/migration-row.js';
export { computeMigrationStatus } from './migrations/migration-status.js';
export { isMigrationDatabase, type MigrationStore, openMigrationStore } from './migrations/open-store.js';
export type { PostgresMigrationStore } from './migrations/postgres-store.js';
export { readMigrationStatus } from './migrations/read-migration-status.js';
export type { SqliteMigrationStore } from './migrations/sqlite-store.js';
export type {
  MigrationDatabase,
  MigrationStatus,
  MigrationStatusOptions,
  PgQueryableLike,
  SqliteDatabaseLike,
} from './types.js';
