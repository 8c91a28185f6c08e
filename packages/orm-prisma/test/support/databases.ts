import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// The offline migration tool depends on this package; reached by path, so the workspace has no cycle.
import { applyMigrations } from '../../../../tools/prisma-migrate/src/index.js';

export const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export interface TempDir {
  readonly path: string;
  remove(): void;
}

export function tempDir(prefix: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), `promenade-prisma-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A copy of a provider's fixture migrations that a test may change. */
export function copyMigrations(provider: 'sqlite' | 'postgresql', into: string): string {
  const target = join(into, 'migrations');
  cpSync(join(fixturesDir, provider, 'migrations'), target, { recursive: true });
  return target;
}

/** A fresh SQLite file with the fixture schema applied by the workspace's offline migration applier. */
export async function migratedSqlite(dir: TempDir): Promise<string> {
  const url = `file:${join(dir.path, 'walks.db')}`;
  await applyMigrations({ migrationsPath: join(fixturesDir, 'sqlite', 'migrations'), database: url });
  return url;
}
