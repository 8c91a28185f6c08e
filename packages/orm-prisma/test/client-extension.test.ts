import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { sampleLines, scrape, snapshotMetrics } from '@promenade/core/testing';
import { prismaMetrics } from '@promenade/orm-prisma';
import { describe, expect, it } from 'vitest';
import { SqliteClient, SqlitePrisma } from './support/clients.js';
import { rejection } from './support/rejection.js';
import { useMigratedSqlite } from './support/sqlite-database.js';

const sqlite = useMigratedSqlite('extension');

function plainClient() {
  return sqlite.track(new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: sqlite.url }) }));
}

function extendedClient(options: Parameters<typeof prismaMetrics>[0] = {}) {
  return plainClient().$extends(prismaMetrics({ registry: sqlite.registry, ...options }));
}

/** A query extension of the application's own, which runs `around` for every operation. */
function aroundEveryOperation(around: (run: () => Promise<unknown>) => Promise<unknown>) {
  return {
    query: {
      $allOperations({ args, query }: { args: unknown; query: (args: unknown) => Promise<unknown> }) {
        return around(() => query(args));
      },
    },
  };
}

describe('prismaMetrics: zero-initialized series', () => {
  it('starts the row families of the models given as Prisma.ModelName at 0', async () => {
    extendedClient({ models: SqlitePrisma.ModelName });
    const text = await scrape(sqlite.registry);
    expect(sampleLines(text, 'prisma_model_inserts_total')).toEqual([
      'prisma_model_inserts_total{model="Walker"} 0',
      'prisma_model_inserts_total{model="Dog"} 0',
      'prisma_model_inserts_total{model="Walk"} 0',
    ]);
    for (const family of ['reads', 'updates', 'upserts', 'deletes']) {
      expect(sampleLines(text, `prisma_model_${family}_total`)).toHaveLength(3);
    }
  });

  it('discovers the declared models from the extended client when none are given', async () => {
    extendedClient();
    expect(sampleLines(await scrape(sqlite.registry), 'prisma_model_deletes_total')).toEqual([
      'prisma_model_deletes_total{model="Walker"} 0',
      'prisma_model_deletes_total{model="Dog"} 0',
      'prisma_model_deletes_total{model="Walk"} 0',
    ]);
  });
});

describe('prismaMetrics: operations', () => {
  it('counts each operation by model and operation, rows by what the result says', async () => {
    const prisma = extendedClient();
    const snapshot = await snapshotMetrics(sqlite.registry);
    await prisma.walker.create({ data: { name: 'Ana', email: 'ana@example.com' } });
    await prisma.walker.createMany({
      data: [1, 2, 3].map((n) => ({ name: `W${n}`, email: `w${n}@example.com` })),
    });
    const returned = await prisma.walker.createManyAndReturn({
      data: [4, 5].map((n) => ({ name: `W${n}`, email: `w${n}@example.com` })),
    });
    expect(returned).toHaveLength(2);
    await prisma.walker.findMany();
    await prisma.walker.findUnique({ where: { email: 'ana@example.com' } });
    await prisma.walker.count();
    await prisma.walker.aggregate({ _max: { id: true } });
    await prisma.walker.groupBy({ by: ['name'] });
    await prisma.walker.update({ where: { email: 'ana@example.com' }, data: { name: 'Ana B' } });
    await prisma.walker.updateMany({ where: { name: { startsWith: 'W' } }, data: { name: 'Walker' } });
    await prisma.walker.updateManyAndReturn({
      where: { email: { startsWith: 'w1' } },
      data: { name: 'One' },
    });
    await prisma.walker.upsert({
      where: { email: 'new@example.com' },
      create: { name: 'New', email: 'new@example.com' },
      update: {},
    });
    await prisma.walker.delete({ where: { email: 'new@example.com' } });
    await prisma.walker.deleteMany({ where: { name: 'Walker' } });

    const walker = { model: 'Walker' };
    expect(await snapshot.delta('prisma_model_inserts_total', walker)).toBe(1 + 3 + 2);
    expect(await snapshot.delta('prisma_model_reads_total', walker)).toBe(5);
    expect(await snapshot.delta('prisma_model_updates_total', walker)).toBe(1 + 5 + 1);
    expect(await snapshot.delta('prisma_model_upserts_total', walker)).toBe(1);
    expect(await snapshot.delta('prisma_model_deletes_total', walker)).toBe(1 + 4);
    const operations = sampleLines(await scrape(sqlite.registry), 'prisma_model_operations_total');
    expect(operations).toEqual(
      [
        'create',
        'createMany',
        'createManyAndReturn',
        'findMany',
        'findUnique',
        'count',
        'aggregate',
        'groupBy',
        'update',
        'updateMany',
        'updateManyAndReturn',
        'upsert',
        'delete',
        'deleteMany',
      ].map((operation) => `prisma_model_operations_total{model="Walker",operation="${operation}"} 1`),
    );
    expect(await snapshot.delta('prisma_model_operation_duration_seconds_count', walker)).toBe(14);
    expect(await snapshot.delta('prisma_model_operation_errors_total')).toBe(0);
  });

  it('counts operations inside an interactive transaction, and a bulk write of no rows as no rows', async () => {
    const prisma = extendedClient();
    const snapshot = await snapshotMetrics(sqlite.registry);
    await prisma.$transaction(async (tx: any) => {
      const dog = await tx.dog.create({ data: { name: 'Rex', breed: 'Beagle' } });
      await tx.dog.update({ where: { id: dog.id }, data: { breed: 'Basset' } });
    });
    await prisma.dog.deleteMany({ where: { name: 'nobody' } });
    expect(await snapshot.delta('prisma_model_inserts_total', { model: 'Dog' })).toBe(1);
    expect(await snapshot.delta('prisma_model_updates_total', { model: 'Dog' })).toBe(1);
    expect(await snapshot.delta('prisma_model_deletes_total', { model: 'Dog' })).toBe(0);
    expect(
      await snapshot.delta('prisma_model_operations_total', { model: 'Dog', operation: 'deleteMany' }),
    ).toBe(1);
  });
});

describe('prismaMetrics: failures', () => {
  it('counts a unique-constraint failure as P2002 and rethrows what Prisma threw', async () => {
    // Prisma runs extensions added later inside earlier ones: the last one sees what Prisma threw.
    const order: string[] = [];
    let thrownByPrisma: unknown;
    const prisma = plainClient()
      .$extends(
        aroundEveryOperation(async (run) => {
          order.push('outer');
          return run();
        }),
      )
      .$extends(prismaMetrics({ registry: sqlite.registry }))
      .$extends(
        aroundEveryOperation(async (run) => {
          order.push('inner');
          try {
            return await run();
          } catch (error) {
            thrownByPrisma = error;
            throw error;
          }
        }),
      );
    const data = { name: 'Ana', email: 'ana@example.com' };
    await prisma.walker.create({ data });
    expect(order).toEqual(['outer', 'inner']);
    const seen = await rejection(prisma.walker.create({ data }));
    expect(seen).toBe(thrownByPrisma);
    expect(seen).toBeInstanceOf(SqlitePrisma.PrismaClientKnownRequestError);
    expect(seen.code).toBe('P2002');
    expect(sampleLines(await scrape(sqlite.registry), 'prisma_model_operation_errors_total')).toEqual([
      'prisma_model_operation_errors_total{model="Walker",operation="create",error="P2002"} 1',
    ]);
    // A failed call is still a call.
    const text = await scrape(sqlite.registry);
    expect(text).toContain('prisma_model_operations_total{model="Walker",operation="create"} 2');
    expect(text).toContain('prisma_model_inserts_total{model="Walker"} 1');
  });

  it('counts a not-found failure as P2025', async () => {
    const prisma = extendedClient();
    const seen = await rejection(prisma.dog.update({ where: { id: 404 }, data: { name: 'Ghost' } }));
    expect(seen.code).toBe('P2025');
    expect(sampleLines(await scrape(sqlite.registry), 'prisma_model_operation_errors_total')).toEqual([
      'prisma_model_operation_errors_total{model="Dog",operation="update",error="P2025"} 1',
    ]);
    expect(await scrape(sqlite.registry)).toContain('prisma_model_updates_total{model="Dog"} 0');
  });

  it('counts an error without a Prisma code by its type', async () => {
    const prisma = extendedClient();
    const seen = await rejection(prisma.dog.create({ data: { name: 'No breed' } as never }));
    expect(seen).toBeInstanceOf(SqlitePrisma.PrismaClientValidationError);
    expect(sampleLines(await scrape(sqlite.registry), 'prisma_model_operation_errors_total')).toEqual([
      'prisma_model_operation_errors_total{model="Dog",operation="create",error="PrismaClientValidationError"} 1',
    ]);
  });
});
