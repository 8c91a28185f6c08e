import { createServer } from 'node:net';
import { PrismaPg } from '@prisma/adapter-pg';
import { sampleLines, scrape, snapshotMetrics } from '@promenade/core/testing';
import { createMigrationMetrics, instrumentAdapter, prismaMetrics } from '@promenade/orm-prisma';
import pg from 'pg';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type PostgresHandle, startPostgres } from '../../../test/support/stack.js';
// The offline migration tool depends on this package; its tests reach it by path, so that the
// workspace has no cycle.
import { applyMigrations } from '../../../tools/prisma-migrate/src/index.js';
import { PostgresClient, PostgresPrisma } from './support/clients.js';
import { copyMigrations, type TempDir, tempDir } from './support/databases.js';
import { expectedCounts, runWorkload, WORKLOAD } from './support/model-workload.js';
import { rejection } from './support/rejection.js';
import { expectTransactionsCounted } from './support/transactions.js';

// Real PostgreSQL 15, required: if it cannot start, this file fails.
let postgres: PostgresHandle;
let dir: TempDir;
let migrationsPath: string;
let registry: Registry;
const cleanups: (() => Promise<unknown>)[] = [];
const db = { db_system: 'postgresql', alias: 'main' };

beforeAll(async () => {
  postgres = await startPostgres();
});

afterAll(async () => {
  await postgres?.stop();
});

beforeEach(async () => {
  await postgres.sql('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  dir = tempDir('postgres');
  migrationsPath = copyMigrations('postgresql', dir.path);
  registry = new Registry();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  dir.remove();
});

function pool(connectionString = postgres.url): pg.Pool {
  const created = new pg.Pool({ connectionString, max: 4 });
  cleanups.push(() => created.end());
  return created;
}

function client(adapter: ConstructorParameters<typeof PrismaPg>[0] = pool()) {
  const prisma = new PostgresClient({
    adapter: instrumentAdapter(new PrismaPg(adapter), { registry, alias: 'main' }),
  });
  cleanups.push(() => prisma.$disconnect());
  return prisma;
}

describe('on PostgreSQL 15', () => {
  it('reports migration gauges before and after applying', async () => {
    const metrics = createMigrationMetrics({ migrationsPath, database: pool(), registry, alias: 'main' });
    cleanups.push(() => metrics.close());
    const lines = async () => {
      const text = await scrape(registry);
      return [
        ...sampleLines(text, 'prisma_migrations_applied'),
        ...sampleLines(text, 'prisma_migrations_pending'),
      ];
    };
    expect(await lines()).toEqual([
      'prisma_migrations_applied{alias="main"} 0',
      'prisma_migrations_pending{alias="main"} 1',
    ]);
    await applyMigrations({ migrationsPath, database: postgres.url });
    expect(await lines()).toEqual([
      'prisma_migrations_applied{alias="main"} 1',
      'prisma_migrations_pending{alias="main"} 0',
    ]);
  });

  describe('through Prisma', () => {
    beforeEach(async () => {
      await applyMigrations({ migrationsPath, database: postgres.url });
    });

    it('counts model operations, bulk rows and failures by Prisma code', async () => {
      const prisma = client().$extends(prismaMetrics({ registry }));
      await prisma.walker.createMany({
        data: [1, 2, 3].map((n) => ({ name: `W${n}`, email: `w${n}@example.com` })),
      });
      await prisma.walker.updateMany({ data: { name: 'Walker' } });
      expect(
        (await rejection(prisma.walker.create({ data: { name: 'Dup', email: 'w1@example.com' } }))).code,
      ).toBe('P2002');
      expect((await rejection(prisma.walker.delete({ where: { id: 999 } }))).code).toBe('P2025');
      await prisma.walker.deleteMany();
      const text = await scrape(registry);
      expect(sampleLines(text, 'prisma_model_inserts_total')).toContain(
        'prisma_model_inserts_total{model="Walker"} 3',
      );
      expect(sampleLines(text, 'prisma_model_updates_total')).toContain(
        'prisma_model_updates_total{model="Walker"} 3',
      );
      expect(sampleLines(text, 'prisma_model_deletes_total')).toContain(
        'prisma_model_deletes_total{model="Walker"} 3',
      );
      expect(sampleLines(text, 'prisma_model_operation_errors_total')).toEqual([
        'prisma_model_operation_errors_total{model="Walker",operation="create",error="P2002"} 1',
        'prisma_model_operation_errors_total{model="Walker",operation="delete",error="P2025"} 1',
      ]);
      // The adapter kept PostgreSQL's SQLSTATE (23505): its class, as the pg wrapper labels it.
      expect(sampleLines(text, 'db_client_operation_errors_total')).toContain(
        'db_client_operation_errors_total{db_system="postgresql",alias="main",operation="INSERT",error_type="sqlstate_23"} 1',
      );
    });

    it('counts pool connections as new connections and reads the pool gauges at scrape time', async () => {
      const prisma = client();
      await prisma.dog.count();
      let text = await scrape(registry);
      expect(sampleLines(text, 'db_client_connections_created_total')).toEqual([
        'db_client_connections_created_total{db_system="postgresql",alias="main"} 1',
      ]);
      expect([
        ...sampleLines(text, 'db_client_connection_count'),
        ...sampleLines(text, 'db_client_connection_pending_requests'),
      ]).toEqual([
        'db_client_connection_count{db_system="postgresql",alias="main",state="idle"} 1',
        'db_client_connection_count{db_system="postgresql",alias="main",state="used"} 0',
        'db_client_connection_pending_requests{db_system="postgresql",alias="main"} 0',
      ]);
      // Three at once need three connections of the pool.
      await Promise.all([1, 2, 3].map(() => prisma.$queryRaw`SELECT pg_sleep(0.05)::text AS slept`));
      text = await scrape(registry);
      expect(sampleLines(text, 'db_client_connections_created_total')).toEqual([
        'db_client_connections_created_total{db_system="postgresql",alias="main"} 3',
      ]);
      expect(sampleLines(text, 'db_client_connection_count')).toEqual([
        'db_client_connection_count{db_system="postgresql",alias="main",state="idle"} 3',
        'db_client_connection_count{db_system="postgresql",alias="main",state="used"} 0',
      ]);
    });

    it('counts a committed and a rolled-back interactive transaction', async () => {
      await expectTransactionsCounted(client(), registry, db);
    });

    it('counts model rows at the adapter as the extension does, and differs only where they see different things', async () => {
      const adapterRegistry = new Registry();
      const extensionRegistry = new Registry();
      const prisma = new PostgresClient({
        adapter: instrumentAdapter(new PrismaPg(pool()), {
          registry: adapterRegistry,
          models: PostgresPrisma.ModelName,
        }),
      });
      cleanups.push(() => prisma.$disconnect());
      const extended = prisma.$extends(prismaMetrics({ registry: extensionRegistry }));
      const registries = { adapter: adapterRegistry, extension: extensionRegistry };
      expect(await runWorkload(extended, WORKLOAD, registries)).toEqual(expectedCounts(WORKLOAD));
    });

    it('counts a raw query', async () => {
      const prisma = client();
      await prisma.$connect();
      const snapshot = await snapshotMetrics(registry);
      expect(await prisma.$queryRaw`SELECT 1::int AS one`).toEqual([{ one: 1 }]);
      expect(
        await snapshot.delta('db_client_operation_duration_seconds_count', {
          ...db,
          operation: 'SELECT',
          table: '',
        }),
      ).toBe(1);
    });
  });

  it('counts a server that refuses the connection as a connection error', async () => {
    // A loopback port that was free a moment ago: nothing answers there.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address() as { port: number };
        server.close(() => resolve(address.port));
      });
    });
    const prisma = client({
      connectionString: `postgresql://promenade:promenade@127.0.0.1:${port}/promenade_test`,
    });
    const error = await rejection(prisma.dog.count());
    expect(error.code).toBe('P1001');
    const text = await scrape(registry);
    expect(sampleLines(text, 'db_client_connection_create_errors_total')).toEqual([
      'db_client_connection_create_errors_total{db_system="postgresql",alias="main"} 1',
    ]);
    expect(sampleLines(text, 'db_client_connections_created_total')).toEqual([
      'db_client_connections_created_total{db_system="postgresql",alias="main"} 0',
    ]);
    expect(sampleLines(text, 'db_client_operation_errors_total')).toEqual([
      'db_client_operation_errors_total{db_system="postgresql",alias="main",operation="SELECT",error_type="DatabaseNotReachable"} 1',
    ]);
  });
});
