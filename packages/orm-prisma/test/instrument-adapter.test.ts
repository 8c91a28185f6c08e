import { join } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { sampleLines, scrape, snapshotMetrics } from '@promenade/core/testing';
import { instrumentAdapter } from '@promenade/orm-prisma';
import { describe, expect, it } from 'vitest';
import { SqliteClient } from './support/clients.js';
import { useMigratedSqlite } from './support/sqlite-database.js';
import { expectTransactionsCounted } from './support/transactions.js';

const sqlite = useMigratedSqlite('adapter');

function client(databaseUrl = sqlite.url) {
  const adapter = instrumentAdapter(new PrismaBetterSqlite3({ url: databaseUrl }), {
    registry: sqlite.registry,
    alias: 'walks',
  });
  return sqlite.track(new SqliteClient({ adapter }));
}

const db = { db_system: 'sqlite', alias: 'walks' };

describe('instrumentAdapter on SQLite', () => {
  it('starts the connection and transaction series at zero', async () => {
    client();
    const text = await scrape(sqlite.registry);
    expect(sampleLines(text, 'db_client_connections_created_total')).toEqual([
      'db_client_connections_created_total{db_system="sqlite",alias="walks"} 0',
    ]);
    expect(sampleLines(text, 'db_client_connection_create_errors_total')).toEqual([
      'db_client_connection_create_errors_total{db_system="sqlite",alias="walks"} 0',
    ]);
    expect(sampleLines(text, 'db_client_transactions_ended_total')).toEqual([
      'db_client_transactions_ended_total{db_system="sqlite",alias="walks",outcome="committed"} 0',
      'db_client_transactions_ended_total{db_system="sqlite",alias="walks",outcome="rolled_back"} 0',
    ]);
  });

  it('counts one new connection for the first query and none after', async () => {
    const prisma = client();
    await prisma.dog.count();
    await prisma.dog.count();
    expect(sampleLines(await scrape(sqlite.registry), 'db_client_connections_created_total')).toEqual([
      'db_client_connections_created_total{db_system="sqlite",alias="walks"} 1',
    ]);
  });

  it('exposes no pool gauges, as SQLite has no pool', async () => {
    const prisma = client();
    await prisma.dog.count();
    expect(await scrape(sqlite.registry)).not.toContain('db_client_connection_count');
  });

  it('times a raw query and a raw execution by operation, on the database schema', async () => {
    const prisma = client();
    await prisma.$connect();
    const snapshot = await snapshotMetrics(sqlite.registry);
    const rows = await prisma.$queryRaw`SELECT 1 AS one`;
    expect(rows).toEqual([{ one: 1n }]);
    const changed = await prisma.$executeRaw`INSERT INTO "Dog" ("name", "breed") VALUES ('Rex', 'Beagle')`;
    expect(changed).toBe(1);
    const count = (operation: string) =>
      snapshot.delta('db_client_operation_duration_seconds_count', { ...db, operation, table: '' });
    expect(await count('SELECT')).toBe(1);
    expect(await count('INSERT')).toBe(1);
    expect(await snapshot.delta('db_client_operation_errors_total')).toBe(0);
  });

  it('labels statements with the table they name when asked to, as @promenade/db does', async () => {
    const adapter = instrumentAdapter(new PrismaBetterSqlite3({ url: sqlite.url }), {
      registry: sqlite.registry,
      alias: 'walks',
      tables: true,
    });
    const prisma = sqlite.track(new SqliteClient({ adapter }));
    await prisma.dog.create({ data: { name: 'Rex', breed: 'Beagle' } });
    expect(sampleLines(await scrape(sqlite.registry), 'db_client_operation_duration_seconds_count')).toEqual([
      'db_client_operation_duration_seconds_count{db_system="sqlite",alias="walks",operation="INSERT",table="main.Dog"} 1',
    ]);
  });

  it('never puts SQL text into a label', async () => {
    const prisma = client();
    await prisma.$queryRawUnsafe('SELECT 42 AS "secret_column"');
    await prisma.dog.findMany({ where: { name: 'Rex' } });
    const text = await scrape(sqlite.registry);
    expect(text).not.toContain('secret_column');
    expect(text).not.toContain('"Rex"');
  });

  it('counts a failed statement by the driver error the adapter kept, else its kind', async () => {
    const prisma = client();
    await prisma.walker.create({ data: { name: 'Ana', email: 'ana@example.com' } });
    await expect(
      prisma.walker.create({ data: { name: 'Ana', email: 'ana@example.com' } }),
    ).rejects.toMatchObject({
      code: 'P2002',
    });
    await expect(prisma.$queryRawUnsafe('SELECT * FROM "NoSuchTable"')).rejects.toThrow();
    expect(sampleLines(await scrape(sqlite.registry), 'db_client_operation_errors_total')).toEqual([
      'db_client_operation_errors_total{db_system="sqlite",alias="walks",operation="INSERT",error_type="SQLITE_CONSTRAINT"} 1',
      'db_client_operation_errors_total{db_system="sqlite",alias="walks",operation="SELECT",error_type="SQLITE_ERROR"} 1',
    ]);
  });

  it('counts an interactive transaction that commits and one that rolls back', async () => {
    await expectTransactionsCounted(client(), sqlite.registry, db);
  });

  it('counts a database that cannot be opened as a connection error, and no connection', async () => {
    const prisma = client(`file:${join(sqlite.dir.path, 'no-such-folder', 'walks.db')}`);
    await expect(prisma.dog.count()).rejects.toThrow();
    const text = await scrape(sqlite.registry);
    expect(sampleLines(text, 'db_client_connection_create_errors_total')).toEqual([
      'db_client_connection_create_errors_total{db_system="sqlite",alias="walks"} 1',
    ]);
    expect(sampleLines(text, 'db_client_connections_created_total')).toEqual([
      'db_client_connections_created_total{db_system="sqlite",alias="walks"} 0',
    ]);
  });

  it('records an adapter method that throws instead of rejecting, and rejects with that very error', async () => {
    const broken = new TypeError('no statement today');
    const factory = new PrismaBetterSqlite3({ url: sqlite.url });
    const connect = factory.connect.bind(factory);
    factory.connect = async () => {
      const adapter = await connect();
      adapter.queryRaw = () => {
        throw broken;
      };
      return adapter;
    };
    const adapter = await instrumentAdapter(factory, { registry: sqlite.registry, alias: 'walks' }).connect();
    try {
      const pending = adapter.queryRaw({ sql: 'SELECT 1', args: [], argTypes: [] });
      await expect(pending).rejects.toBe(broken);
      const text = await scrape(sqlite.registry);
      expect(sampleLines(text, 'db_client_operation_errors_total')).toEqual([
        'db_client_operation_errors_total{db_system="sqlite",alias="walks",operation="SELECT",error_type="TypeError"} 1',
      ]);
      expect(sampleLines(text, 'db_client_operation_duration_seconds_count')).toEqual([
        'db_client_operation_duration_seconds_count{db_system="sqlite",alias="walks",operation="SELECT",table=""} 1',
      ]);
    } finally {
      await adapter.dispose();
    }
  });

  it('keeps the factory what Prisma expects: provider, adapter name, shadow database', () => {
    const factory = new PrismaBetterSqlite3({ url: sqlite.url });
    const wrapped = instrumentAdapter(factory, { registry: sqlite.registry });
    expect(wrapped.provider).toBe('sqlite');
    expect(wrapped.adapterName).toBe(factory.adapterName);
    expect(typeof wrapped.connectToShadowDb).toBe('function');
  });
});
