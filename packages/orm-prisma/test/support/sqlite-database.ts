import { Registry } from 'prom-client';
import { afterEach, beforeEach } from 'vitest';
import { migratedSqlite, type TempDir, tempDir } from './databases.js';

interface Disconnectable {
  $disconnect(): Promise<void>;
}

export interface SqliteTestDatabase {
  /** The folder of this test's database file. */
  readonly dir: TempDir;
  /** The `file:` URL of this test's database, migrated with the fixture schema. */
  readonly url: string;
  /** This test's own registry. */
  readonly registry: Registry;
  /** Disconnects `client` once the test is over. */
  track<T extends Disconnectable>(client: T): T;
}

/**
 * Registers hooks that give each test of the file a fresh migrated SQLite database and a
 * fresh registry, and afterwards disconnect the clients it tracked and remove the database.
 */
export function useMigratedSqlite(prefix: string): SqliteTestDatabase {
  let dir: TempDir | undefined;
  let url = '';
  let registry = new Registry();
  const clients: Disconnectable[] = [];
  beforeEach(async () => {
    dir = tempDir(prefix);
    url = await migratedSqlite(dir);
    registry = new Registry();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.$disconnect()));
    dir?.remove();
  });
  return {
    get dir() {
      if (!dir) throw new Error('the database exists only while a test runs');
      return dir;
    },
    get url() {
      return url;
    },
    get registry() {
      return registry;
    },
    track(client) {
      clients.push(client);
      return client;
    },
  };
}
