import { snapshotMetrics } from '@promenade/core/testing';
import type { Registry } from 'prom-client';
import { expect } from 'vitest';

interface DogClient {
  $connect(): Promise<void>;
  $transaction(work: (tx: any) => Promise<unknown>): Promise<unknown>;
  dog: { count(): Promise<number> };
}

/**
 * Runs an interactive transaction that commits and one that rolls back on a client whose
 * adapter is instrumented, and checks what the adapter counted of them under `labels`.
 */
export async function expectTransactionsCounted(
  prisma: DogClient,
  registry: Registry,
  labels: { db_system: string; alias: string },
): Promise<void> {
  await prisma.$connect();
  const snapshot = await snapshotMetrics(registry);
  await prisma.$transaction(async (tx) => {
    await tx.dog.create({ data: { name: 'Rex', breed: 'Beagle' } });
  });
  await expect(
    prisma.$transaction(async (tx) => {
      await tx.dog.create({ data: { name: 'Ghost', breed: 'Husky' } });
      throw new Error('changed my mind');
    }),
  ).rejects.toThrow('changed my mind');
  expect(await prisma.dog.count()).toBe(1);
  expect(await snapshot.delta('db_client_transactions_started_total', labels)).toBe(2);
  expect(
    await snapshot.delta('db_client_transactions_ended_total', { ...labels, outcome: 'committed' }),
  ).toBe(1);
  expect(
    await snapshot.delta('db_client_transactions_ended_total', { ...labels, outcome: 'rolled_back' }),
  ).toBe(1);
  // The adapter sends BEGIN itself; it is timed as the schema's BEGIN, and Prisma's COMMIT and
  // ROLLBACK go through the adapter as statements.
  const operation = (name: string) =>
    snapshot.delta('db_client_operation_duration_seconds_count', { ...labels, operation: name, table: '' });
  expect(await operation('BEGIN')).toBe(2);
  expect(await operation('COMMIT')).toBe(1);
  expect(await operation('ROLLBACK')).toBe(1);
}
