import { createServer } from 'node:net';
import { snapshotMetrics } from '@promenade/core/testing';
import { instrumentPg } from '@promenade/db';
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { pgTable, serial, text } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { Registry } from 'prom-client';
import { DataSource, EntitySchema } from 'typeorm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type PostgresHandle, startPostgres } from '../../../test/support/stack.js';
import { lines, operationCounts } from './support/exposition.js';

// Real PostgreSQL 15, required: if it cannot start, this file fails.
let postgres: PostgresHandle;
let registry: Registry;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  postgres = await startPostgres();
});

afterAll(async () => {
  await postgres?.stop();
});

beforeEach(async () => {
  await postgres.sql('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  registry = new Registry();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

function pool(config: pg.PoolConfig = {}): pg.Pool {
  const created = new pg.Pool({ connectionString: postgres.url, max: 4, ...config });
  cleanups.push(() => created.end());
  return created;
}

const count = (operation: string, table = '', alias = 'main') =>
  `db_client_operation_duration_seconds_count{db_system="postgresql",alias="${alias}",operation="${operation}",table="${table}"}`;

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('instrumentPg on PostgreSQL 15', () => {
  it('counts and times every statement of a pool by its operation, through pool.query and checked-out clients', async () => {
    const db = instrumentPg(pool(), { registry, alias: 'main' });
    await db.query('CREATE TABLE dogs (id serial PRIMARY KEY, name text NOT NULL)');
    await db.query('INSERT INTO dogs (name) VALUES ($1)', ['Rex']);
    await db.query({ text: 'INSERT INTO dogs (name) VALUES ($1)', values: ['Fido'] });
    const client = await db.connect();
    await client.query('  /* a comment */ select * from dogs');
    await client.query('UPDATE dogs SET name = $1 WHERE id = 1', ['Max']);
    client.release();
    await new Promise<void>((resolve, reject) =>
      db.query('DELETE FROM dogs WHERE id = $1', [2], (error) => (error ? reject(error) : resolve())),
    );
    expect(await operationCounts(registry)).toEqual([
      `${count('CREATE')} 1`,
      `${count('INSERT')} 2`,
      `${count('SELECT')} 1`,
      `${count('UPDATE')} 1`,
      `${count('DELETE')} 1`,
    ]);
    expect(await lines(registry, 'db_client_connections_created_total')).toEqual([
      'db_client_connections_created_total{db_system="postgresql",alias="main"} 1',
    ]);
  });

  it('counts transactions begun, committed and rolled back; a rollback to a savepoint ends none', async () => {
    const db = instrumentPg(pool(), { registry, alias: 'main' });
    await db.query('CREATE TABLE walks (id int)');
    const client = await db.connect();
    await client.query('BEGIN');
    await client.query('INSERT INTO walks VALUES (1)');
    await client.query('COMMIT');
    await client.query('START TRANSACTION');
    await client.query('SAVEPOINT a');
    await client.query('ROLLBACK TO SAVEPOINT a');
    await client.query('ROLLBACK');
    client.release();
    expect(await lines(registry, 'db_client_transactions_started_total')).toEqual([
      'db_client_transactions_started_total{db_system="postgresql",alias="main"} 2',
    ]);
    expect(await lines(registry, 'db_client_transactions_ended_total')).toEqual([
      'db_client_transactions_ended_total{db_system="postgresql",alias="main",outcome="committed"} 1',
      'db_client_transactions_ended_total{db_system="postgresql",alias="main",outcome="rolled_back"} 1',
    ]);
    expect(await operationCounts(registry)).toContain(`${count('ROLLBACK')} 2`);
  });

  it('labels errors by SQLSTATE class, never by the statement text, and passes the same error on', async () => {
    const db = instrumentPg(pool(), { registry, alias: 'main' });
    const syntax = await db.query("SELEC 'secret-value'").catch((error: unknown) => error);
    expect(syntax).toMatchObject({ code: '42601' });
    const missing = await db.query('SELECT * FROM no_such_table').catch((error: unknown) => error);
    expect(missing).toMatchObject({ code: '42P01' });
    await db.query('CREATE TABLE t (id int PRIMARY KEY)');
    await db.query('INSERT INTO t VALUES (1)');
    await expect(db.query('INSERT INTO t VALUES (1)')).rejects.toMatchObject({ code: '23505' });
    expect(await lines(registry, 'db_client_operation_errors_total')).toEqual([
      'db_client_operation_errors_total{db_system="postgresql",alias="main",operation="OTHER",error_type="sqlstate_42"} 1',
      'db_client_operation_errors_total{db_system="postgresql",alias="main",operation="SELECT",error_type="sqlstate_42"} 1',
      'db_client_operation_errors_total{db_system="postgresql",alias="main",operation="INSERT",error_type="sqlstate_23"} 1',
    ]);
    expect((await operationCounts(registry)).join('\n')).not.toContain('secret');
  });

  it('counts a statement timeout and a client-side query timeout as errors of their own type', async () => {
    const db = instrumentPg(pool({ statement_timeout: 50 }), { registry, alias: 'main' });
    await expect(db.query('SELECT pg_sleep(2)')).rejects.toMatchObject({ code: '57014' });
    const impatient = instrumentPg(pool({ query_timeout: 50 }), { registry, alias: 'impatient' });
    await expect(impatient.query('SELECT pg_sleep(0.5)')).rejects.toThrow('Query read timeout');
    expect(await lines(registry, 'db_client_operation_errors_total')).toEqual([
      'db_client_operation_errors_total{db_system="postgresql",alias="main",operation="SELECT",error_type="sqlstate_57"} 1',
      'db_client_operation_errors_total{db_system="postgresql",alias="impatient",operation="SELECT",error_type="query_timeout"} 1',
    ]);
  });

  it('reads the pool gauges at scrape time: a pool exhausted has requests waiting', async () => {
    const db = instrumentPg(pool({ max: 1 }), { registry, alias: 'main' });
    const held = await db.connect();
    const waiting = db.query('SELECT 1');
    expect(await lines(registry, 'db_client_connection_count')).toEqual([
      'db_client_connection_count{db_system="postgresql",alias="main",state="idle"} 0',
      'db_client_connection_count{db_system="postgresql",alias="main",state="used"} 1',
    ]);
    expect(await lines(registry, 'db_client_connection_pending_requests')).toEqual([
      'db_client_connection_pending_requests{db_system="postgresql",alias="main"} 1',
    ]);
    held.release();
    await waiting;
    expect(await lines(registry, 'db_client_connection_count')).toEqual([
      'db_client_connection_count{db_system="postgresql",alias="main",state="idle"} 1',
      'db_client_connection_count{db_system="postgresql",alias="main",state="used"} 0',
    ]);
    expect(await lines(registry, 'db_client_connection_pending_requests')).toEqual([
      'db_client_connection_pending_requests{db_system="postgresql",alias="main"} 0',
    ]);
  });

  it('labels tables when asked, folding names past maxTables and names too long to be a label', async () => {
    const db = instrumentPg(pool(), { registry, alias: 'main', tables: true, maxTables: 3 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) await db.query(`CREATE TABLE "${name}" (id int)`);
    await db.query('SELECT * FROM "a" WHERE id = 1');
    await db.query('SELECT * FROM b JOIN c ON b.id = c.id');
    await db.query('SELECT * FROM d');
    await db.query("INSERT INTO e VALUES (1) -- FROM 'x'");
    await db.query(`SELECT * FROM "${'x'.repeat(60)}"`).catch(() => undefined);
    const hostile = `SELECT 1 FROM "${'y'.repeat(50)}""; DROP TABLE a; --${'z'.repeat(30)}"`;
    await db.query(hostile).catch(() => undefined);
    expect(await operationCounts(registry)).toEqual([
      `${count('CREATE', 'a')} 1`,
      `${count('CREATE', 'b')} 1`,
      `${count('CREATE', 'c')} 1`,
      `${count('CREATE', '<overflow>')} 2`,
      `${count('SELECT', 'a')} 1`,
      `${count('SELECT', 'b')} 1`,
      `${count('SELECT', '<overflow>')} 3`,
      `${count('INSERT', '<overflow>')} 1`,
    ]);
    expect(await lines(registry, 'db_label_sets_folded_total')).toEqual([
      'db_label_sets_folded_total{metric="db_client_operation_duration_seconds"} 6',
    ]);
  });

  it('counts a Client: its connection, its statements, and a connection that cannot be opened', async () => {
    const client = instrumentPg(new pg.Client({ connectionString: postgres.url }), {
      registry,
      alias: 'main',
    });
    await client.connect();
    cleanups.push(() => client.end());
    await client.query('SELECT 1');
    const refused = instrumentPg(new pg.Client({ host: '127.0.0.1', port: await closedPort() }), {
      registry,
      alias: 'main',
    });
    await expect(refused.connect()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(await operationCounts(registry)).toEqual([`${count('SELECT')} 1`]);
    expect(await lines(registry, 'db_client_connections_created_total')).toEqual([
      'db_client_connections_created_total{db_system="postgresql",alias="main"} 1',
    ]);
    expect(await lines(registry, 'db_client_connection_create_errors_total')).toEqual([
      'db_client_connection_create_errors_total{db_system="postgresql",alias="main"} 1',
    ]);
  });
});

describe('under Drizzle on a pg Pool', () => {
  it('counts the statements of a workload whose statements are known', async () => {
    const db = drizzle({ client: instrumentPg(pool(), { registry, alias: 'main' }) });
    const dogs = pgTable('dogs', { id: serial('id').primaryKey(), name: text('name').notNull() });
    await db.execute(sql`CREATE TABLE dogs (id serial PRIMARY KEY, name text NOT NULL)`);
    await db.insert(dogs).values([{ name: 'Rex' }, { name: 'Fido' }, { name: 'Max' }]);
    expect(await db.select().from(dogs).where(eq(dogs.id, 1))).toEqual([{ id: 1, name: 'Rex' }]);
    await db.update(dogs).set({ name: 'Bo' }).where(eq(dogs.id, 1));
    await db.delete(dogs).where(eq(dogs.id, 3));
    await db.transaction(async (tx) => {
      await tx.insert(dogs).values({ name: 'Ace' });
      await tx.insert(dogs).values({ name: 'Bea' });
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(dogs).values({ name: 'Never' });
        tx.rollback();
      }),
    ).rejects.toThrow('Rollback');
    // One CREATE; INSERT: one of three rows, two in the committed transaction, one rolled back.
    expect(await operationCounts(registry)).toEqual([
      `${count('CREATE')} 1`,
      `${count('INSERT')} 4`,
      `${count('SELECT')} 1`,
      `${count('UPDATE')} 1`,
      `${count('DELETE')} 1`,
      `${count('BEGIN')} 2`,
      `${count('COMMIT')} 1`,
      `${count('ROLLBACK')} 1`,
    ]);
    expect(await lines(registry, 'db_client_transactions_ended_total')).toEqual([
      'db_client_transactions_ended_total{db_system="postgresql",alias="main",outcome="committed"} 1',
      'db_client_transactions_ended_total{db_system="postgresql",alias="main",outcome="rolled_back"} 1',
    ]);
  });
});

interface Dog {
  id: number;
  name: string;
}

describe('under TypeORM on a pg Pool', () => {
  it('counts the statements of a workload whose statements are known, through the Pool class handed to TypeORM', async () => {
    // TypeORM creates its pool from the driver module it is given: one instrumented Pool class.
    class InstrumentedPool extends pg.Pool {
      constructor(config?: pg.PoolConfig) {
        super(config);
        instrumentPg(this, { registry, alias: 'typeorm' });
      }
    }
    const dataSource = new DataSource({
      type: 'postgres',
      url: postgres.url,
      driver: { ...pg, Pool: InstrumentedPool },
      entities: [
        new EntitySchema<Dog>({
          name: 'Dog',
          tableName: 'dogs',
          columns: { id: { type: Number, primary: true, generated: true }, name: { type: String } },
        }),
      ],
      poolSize: 2,
    });
    await dataSource.initialize();
    cleanups.push(() => dataSource.destroy());
    await dataSource.query('CREATE TABLE dogs (id serial PRIMARY KEY, name text NOT NULL)');
    // What TypeORM asks while it starts (its version checks) is its own business: the workload is counted from here.
    const before = await snapshotMetrics(registry);
    const dogs = dataSource.getRepository<Dog>('Dog');
    await dogs.save({ name: 'Rex' }); // START TRANSACTION, INSERT, COMMIT
    await dogs.save({ name: 'Fido' }); // START TRANSACTION, INSERT, COMMIT
    expect(await dogs.find({ order: { id: 'ASC' } })).toEqual([
      { id: 1, name: 'Rex' },
      { id: 2, name: 'Fido' },
    ]);
    await dogs.update({ id: 1 }, { name: 'Bo' });
    await dogs.delete({ id: 2 });
    await expect(
      dataSource.transaction(async (manager) => {
        await manager.insert('Dog', { name: 'Never' });
        throw new Error('the application changed its mind');
      }),
    ).rejects.toThrow('the application changed its mind');
    const delta = (operation: string) =>
      before.delta('db_client_operation_duration_seconds_count', { alias: 'typeorm', operation });
    expect({
      BEGIN: await delta('BEGIN'),
      INSERT: await delta('INSERT'),
      COMMIT: await delta('COMMIT'),
      ROLLBACK: await delta('ROLLBACK'),
      SELECT: await delta('SELECT'),
      UPDATE: await delta('UPDATE'),
      DELETE: await delta('DELETE'),
    }).toEqual({ BEGIN: 3, INSERT: 3, COMMIT: 2, ROLLBACK: 1, SELECT: 1, UPDATE: 1, DELETE: 1 });
    expect(await before.delta('db_client_transactions_started_total', { alias: 'typeorm' })).toBe(3);
    expect(
      await before.delta('db_client_transactions_ended_total', { alias: 'typeorm', outcome: 'rolled_back' }),
    ).toBe(1);
  });
});

describe('when the server stops', () => {
  // Last: it stops the server.
  it('counts connection errors when the server stops mid-run, and the application gets the errors it would without Promenade', async () => {
    const bare = pool({ max: 2 });
    const db = instrumentPg(pool({ max: 2 }), { registry, alias: 'main' });
    await Promise.all([bare.query('SELECT 1'), db.query('SELECT 1')]);
    // A pool whose idle client loses its server emits 'error': the application's listener, as without Promenade.
    const idleErrors: unknown[] = [];
    bare.on('error', (error) => idleErrors.push(error));
    db.on('error', (error) => idleErrors.push(error));
    await postgres.stop();
    const [bareError, dbError] = await Promise.all([
      bare.query('SELECT 1').catch((error: unknown) => error),
      db.query('SELECT 1').catch((error: unknown) => error),
    ]);
    expect(dbError).toBeInstanceOf(Error);
    expect((dbError as Error).constructor).toBe((bareError as Error).constructor);
    expect((dbError as Error).message).toBe((bareError as Error).message);
    expect((dbError as { code?: string }).code).toBe((bareError as { code?: string }).code);
    await db.query('SELECT 1').catch(() => undefined);
    expect(await lines(registry, 'db_client_connection_create_errors_total')).toEqual([
      'db_client_connection_create_errors_total{db_system="postgresql",alias="main"} 2',
    ]);
    expect(await operationCounts(registry)).toEqual([`${count('SELECT')} 1`]);
  });
});
