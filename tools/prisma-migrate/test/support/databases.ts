import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Prisma migration folders for the walks schema, one per provider (each pinned by its migration_lock.toml). */
export const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export interface TempDir {
  readonly path: string;
  remove(): void;
}

export function tempDir(prefix: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), `promenade-migrate-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A copy of a provider's fixture migrations that a test may change. */
export function copyMigrations(provider: 'sqlite' | 'postgresql', into: string): string {
  const target = join(into, 'migrations');
  cpSync(join(fixturesDir, provider, 'migrations'), target, { recursive: true });
  return target;
}
