import { snapshotMetrics } from '@promenade/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresHandle, startPostgres } from '../../../test/support/stack.js';
import { startDemo } from './support/demo.js';
import { runScript } from './support/script.js';

// Real PostgreSQL 15, required: if it cannot start, this file fails.
let postgres: PostgresHandle;

beforeAll(async () => {
  postgres = await startPostgres();
});

afterAll(async () => {
  await postgres?.stop();
});

describe('the dog walker on PostgreSQL', () => {
  it('migrates a schema named in DATABASE_URL and runs the scripted sequence with the same effects', async () => {
    await postgres.sql('DROP SCHEMA IF EXISTS dogwalker CASCADE');
    const demo = await startDemo('nest-fastify', `${postgres.url}?schema=dogwalker`);
    try {
      expect(demo.server.database.provider).toBe('postgresql');
      expect(demo.server.applied).toEqual(['20260101000000_init']);
      const before = await snapshotMetrics(demo.registry);
      const { walkId } = await runScript(demo);
      expect(
        await postgres.sql(`SELECT id, "distanceMeters", "endedAt" IS NOT NULL FROM dogwalker."Walk"`),
      ).toBe(`${walkId}|420|t`);
      expect(await postgres.sql('SELECT count(*) FROM dogwalker."Dog"')).toBe('2');
      expect(await before.delta('dogwalker_walks_completed_total')).toBe(1);
      expect(await before.delta('dogwalker_invalid_walk_attempts_total', { reason: 'invalid_input' })).toBe(
        5,
      );
      expect(await before.delta('db_client_transactions_started_total', { db_system: 'postgresql' })).toBe(4);
      expect(
        await before.delta('prisma_model_operation_errors_total', {
          model: 'Walker',
          operation: 'create',
          error: 'P2002',
        }),
      ).toBe(1);
    } finally {
      await demo.stop();
    }
    // A second start on the same database applies nothing and keeps the data.
    const again = await startDemo('express', `${postgres.url}?schema=dogwalker`);
    try {
      expect(again.server.applied).toEqual([]);
      expect((await again.call('GET', '/api/walks?status=completed')).body).toHaveLength(1);
    } finally {
      await again.stop();
    }
  });
});
