import type { ModelMetrics } from './model-metrics.js';

/** Which rows family an operation feeds, and how its result says how many rows it touched. */
export interface OperationEffect {
  readonly family: keyof Pick<ModelMetrics, 'reads' | 'inserts' | 'updates' | 'upserts' | 'deletes'>;
  /** `one`: one per successful call; `count`: the result's `count`; `length`: the returned array's length. */
  readonly rows: 'one' | 'count' | 'length';
}

const read: OperationEffect = { family: 'reads', rows: 'one' };

/**
 * Prisma's model operations. Reads count calls, as Django counts no reads at all; writes count
 * rows, as django-prometheus counts saved instances, so a createMany of 20 adds 20 inserts.
 */
export const OPERATION_EFFECTS: Readonly<Record<string, OperationEffect>> = Object.freeze({
  findUnique: read,
  findUniqueOrThrow: read,
  findFirst: read,
  findFirstOrThrow: read,
  findMany: read,
  count: read,
  aggregate: read,
  groupBy: read,
  findRaw: read,
  aggregateRaw: read,
  create: { family: 'inserts', rows: 'one' },
  createMany: { family: 'inserts', rows: 'count' },
  createManyAndReturn: { family: 'inserts', rows: 'length' },
  update: { family: 'updates', rows: 'one' },
  updateMany: { family: 'updates', rows: 'count' },
  updateManyAndReturn: { family: 'updates', rows: 'length' },
  // Prisma does not say whether an upsert inserted or updated, so it has a family of its own.
  upsert: { family: 'upserts', rows: 'one' },
  delete: { family: 'deletes', rows: 'one' },
  deleteMany: { family: 'deletes', rows: 'count' },
});

/** Rows an operation touched, read from its result; 0 when the result does not say. */
export function rowsAffected(rows: OperationEffect['rows'], result: unknown): number {
  if (rows === 'one') return 1;
  if (rows === 'length') return Array.isArray(result) ? result.length : 0;
  const count = (result as { count?: unknown } | null)?.count;
  return typeof count === 'number' && count >= 0 ? count : 0;
}
