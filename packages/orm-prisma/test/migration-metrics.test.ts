import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleLines, scrape } from '@promenade/core/testing';
import { createMigrationMetrics } from '@promenade/orm-prisma';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// The offline migration tool depends on this package; its tests reach it by path, so that the
// workspace has no cycle.
import { applyMigrations } from '../../../tools/prisma-migrate/src/index.js';
import { copyMigrations, type TempDir, tempDir } from './support/databases.js';

const NOTES = '20250201000000_walk_notes';

let dir: TempDir;
let migrationsPath: string;
let url: string;

beforeEach(() => {
  dir = tempDir('migrations');
  migrationsPath = copyMigrations('sqlite', dir.path);
  url = `file:${join(dir.path, 'walks.db')}`;
});

afterEach(() => dir.remove());

function addMigration(name: string, sql: string): void {
  mkdirSync(join(migrationsPath, name));
  writeFileSync(join(migrationsPath, name, 'migration.sql'), sql);
}

describe('migration gauges', () => {
  it('report applied and pending migrations before and after applying', async () => {
    const registry = new Registry();
    const metrics = createMigrationMetrics({ migrationsPath, database: url, registry, alias: 'walks' });
    const gauges = async () => {
      const text = await scrape(registry);
      return [
        ...sampleLines(text, 'prisma_migrations_applied'),
        ...sampleLines(text, 'prisma_migrations_pending'),
      ];
    };
    try {
      expect(await gauges()).toEqual([
        'prisma_migrations_applied{alias="walks"} 0',
        'prisma_migrations_pending{alias="walks"} 1',
      ]);
      await applyMigrations({ migrationsPath, database: url });
      expect(await gauges()).toEqual([
        'prisma_migrations_applied{alias="walks"} 1',
        'prisma_migrations_pending{alias="walks"} 0',
      ]);
      addMigration(NOTES, 'ALTER TABLE "Walk" ADD COLUMN "notes" TEXT;\n');
      expect(await gauges()).toEqual([
        'prisma_migrations_applied{alias="walks"} 1',
        'prisma_migrations_pending{alias="walks"} 1',
      ]);
      expect(await metrics.refresh()).toEqual({
        applied: ['20250101000000_init'],
        pending: [NOTES],
        failed: [],
      });
    } finally {
      await metrics.close();
    }
    expect(await gauges()).toEqual([]);
  });

  it('keep their last values and report the error when the status cannot be read', async () => {
    const registry = new Registry();
    const errors: unknown[] = [];
    const metrics = createMigrationMetrics({
      migrationsPath,
      database: url,
      registry,
      onError: (error) => errors.push(error),
    });
    try {
      expect(await scrape(registry)).toContain('prisma_migrations_pending{alias="default"} 1');
      dir.remove();
      const text = await scrape(registry);
      expect(text).toContain('prisma_migrations_pending{alias="default"} 1');
      expect(errors).toHaveLength(1);
      expect((errors[0] as { code?: string }).code).toBe('ERR_PROMENADE_MIGRATION_FOLDER');
    } finally {
      await metrics.close();
    }
  });
});
