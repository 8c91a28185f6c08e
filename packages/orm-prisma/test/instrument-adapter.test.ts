import { join } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { sampleLines, scrape, snapshotMetrics } from '@promenade/core/testing';
import { instrumentAdapter } from '@promenade/orm-prisma';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteClient } from './support/clients.js';
import { migratedSqlite, type TempDir, tempDir } from './support/databases.js';

let dir: TempDir;
let url: string;
let registry: Registry;
const clients: { $disconnect(): Promise<void> }[] = [];

function client(databaseUrl = url) {
  const adapter = instrumentAdapter(new PrismaBetterSqlite3({ url: databaseUrl }), {
    registry,
    alias: 'walks',
  });
  const prisma = new SqliteClient({ adapter });
  clients.push(prisma);
  return prisma;
}

const db = { vendor: 'sqlite', alias: 'walks' };

beforeEach(async () => {
  dir = tempDir('adapter');
  url = await migratedSqlite(dir);
  registry = new Registry();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((prisma) => prisma.$disconnect()));
  dir.remove();
});

describe('instrumentAdapter on SQLite', () => {
  it('starts the connection and transaction series at zero', async () => {
    client();
    const text = await scrape(registry);
    expect(sampleLines(text, 'prisma_db_new_connections_total')).toEqual([
      'prisma_db_new_connections_total{vendor="sqlite",alias="walks"} 0',
    ]);
    expect(sampleLines(text, 'prisma_db_new_connection_errors_total')).toEqual([
      'prisma_db_new_connection_errors_total{vendor="sqlite",alias="walks"} 0',
    ]);
    expect(sampleLines(text, 'prisma_db_transactions_ended_total')).toEqual([
      'prisma_db_transactions_ended_total{vendor="sqlite",alias="walks",outcome="committed"} 0',
      'prisma_db_transactions_ended_total{vendor="sqlite",alias="walks",outcome="rolled_back"} 0',
    ]);
  });

  it('counts one new connection for the first query and none after', async () => {
    const prisma = client();
    await prisma.dog.count();
    await prisma.dog.count();
    expect(sampleLines(await scrape(registry), 'prisma_db_new_connections_total')).toEqual([
      'prisma_db_new_connections_total{vendor="sqlite",alias="walks"} 1',
    ]);
  });

  it('counts a raw query and a raw execution by adapter method, and times them', async () => {
    const prisma = client();
    await prisma.$connect();
    const snapshot = await snapshotMetrics(registry);
    const rows = await prisma.$queryRaw`SELECT 1 AS one`;
    expect(rows).toEqual([{ one: 1n }]);
    const changed = await prisma.$executeRaw`INSERT INTO "Dog" ("name", "breed") VALUES ('Rex', 'Beagle')`;
    expect(changed).toBe(1);
    expect(await snapshot.delta('prisma_db_queries_total', { ...db, method: 'queryRaw' })).toBe(1);
    expect(await snapshot.delta('prisma_db_queries_total', { ...db, method: 'executeRaw' })).toBe(1);
    expect(
      await snapshot.delta('prisma_db_query_duration_seconds_count', { ...db, method: 'queryRaw' }),
    ).toBe(1);
    expect(await snapshot.delta('prisma_db_query_errors_total')).toBe(0);
  });

  it('never puts SQL text into a label', async () => {
    const prisma = client();
    await prisma.$queryRawUnsafe('SELECT 42 AS "secret_column"');
    await prisma.dog.findMany({ where: { name: 'Rex' } });
    const text = await scrape(registry);
    expect(text).not.toContain('secret_column');
    expect(text).not.toContain('SELECT');
  });

  it('counts a failed statement by driver error kind', async () => {
    const prisma = client();
    await prisma.walker.create({ data: { name: 'Ana', email: 'ana@example.com' } });
    await expect(
      prisma.walker.create({ data: { name: 'Ana', email: 'ana@example.com' } }),
    ).rejects.toMatchObject({
      code: 'P2002',
    });
    await expect(prisma.$queryRawUnsafe('SELECT * FROM "NoSuchTable"')).rejects.toThrow();
    expect(sampleLines(await scrape(registry), 'prisma_db_query_errors_total')).toEqual([
      'prisma_db_query_errors_total{vendor="sqlite",alias="walks",method="queryRaw",type="UniqueConstraintViolation"} 1',
      'prisma_db_query_errors_total{vendor="sqlite",alias="walks",method="queryRaw",type="TableDoesNotExist"} 1',
    ]);
  });

  it('counts an interactive transaction that commits and one that rolls back', async () => {
    const prisma = client();
    await prisma.$connect();
    const snapshot = await snapshotMetrics(registry);
    await prisma.$transaction(async (tx: any) => {
      await tx.dog.create({ data: { name: 'Rex', breed: 'Beagle' } });
    });
    await expect(
      prisma.$transaction(async (tx: any) => {
        await tx.dog.create({ data: { name: 'Ghost', breed: 'Husky' } });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await prisma.dog.count()).toBe(1);
    expect(await snapshot.delta('prisma_db_transactions_started_total', db)).toBe(2);
    expect(await snapshot.delta('prisma_db_transactions_ended_total', { ...db, outcome: 'committed' })).toBe(
      1,
    );
    expect(
      await snapshot.delta('prisma_db_transactions_ended_total', { ...db, outcome: 'rolled_back' }),
    ).toBe(1);
    expect(await snapshot.delta('prisma_db_queries_total', { ...db, method: 'startTransaction' })).toBe(2);
  });

  it('counts a database that cannot be opened as a connection error, and no connection', async () => {
    const prisma = client(`file:${join(dir.path, 'no-such-folder', 'walks.db')}`);
    await expect(prisma.dog.count()).rejects.toThrow();
    const text = await scrape(registry);
    expect(sampleLines(text, 'prisma_db_new_connection_errors_total')).toEqual([
      'prisma_db_new_connection_errors_total{vendor="sqlite",alias="walks"} 1',
    ]);
    expect(sampleLines(text, 'prisma_db_new_connections_total')).toEqual([
      'prisma_db_new_connections_total{vendor="sqlite",alias="walks"} 0',
    ]);
  });

  it('records an adapter method that throws instead of rejecting, and rejects with that very error', async () => {
    const broken = new TypeError('no statement today');
    const factory = new PrismaBetterSqlite3({ url });
    const connect = factory.connect.bind(factory);
    factory.connect = async () => {
      const adapter = await connect();
      adapter.queryRaw = () => {
        throw broken;
      };
      return adapter;
    };
    const adapter = await instrumentAdapter(factory, { registry, alias: 'walks' }).connect();
    try {
      const pending = adapter.queryRaw({ sql: 'SELECT 1', args: [], argTypes: [] });
      await expect(pending).rejects.toBe(broken);
      const text = await scrape(registry);
      expect(sampleLines(text, 'prisma_db_query_errors_total')).toEqual([
        'prisma_db_query_errors_total{vendor="sqlite",alias="walks",method="queryRaw",type="TypeError"} 1',
      ]);
      expect(sampleLines(text, 'prisma_db_queries_total')).toEqual([
        'prisma_db_queries_total{vendor="sqlite",alias="walks",method="queryRaw"} 1',
      ]);
    } finally {
      await adapter.dispose();
    }
  });

  it('keeps the factory what Prisma expects: provider, adapter name, shadow database', () => {
    const factory = new PrismaBetterSqlite3({ url });
    const wrapped = instrumentAdapter(factory, { registry });
    expect(wrapped.provider).toBe('sqlite');
    expect(wrapped.adapterName).toBe(factory.adapterName);
    expect(typeof wrapped.connectToShadowDb).toBe('function');
  });
});
