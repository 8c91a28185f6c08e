import { instrumentMysql2 } from '@promenade/db';
import knex from 'knex';
import mysql from 'mysql2';
import mysqlPromise from 'mysql2/promise';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MariadbHandle, startMariadb } from '../../../test/support/stack.js';
import { lines, operationCounts } from './support/exposition.js';

// Real MariaDB 10.11, required: if it cannot start, this file fails.
let mariadb: MariadbHandle;
let registry: Registry;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  mariadb = await startMariadb();
});

afterAll(async () => {
  await mariadb?.stop();
});

beforeEach(async () => {
  await mariadb.sql('DROP DATABASE promenade_test; CREATE DATABASE promenade_test;');
  registry = new Registry();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

function promisePool(options: mysqlPromise.PoolOptions = {}): mysqlPromise.Pool {
  const pool = mysqlPromise.createPool({ uri: mariadb.url, connectionLimit: 4, ...options });
  cleanups.push(() => pool.end());
  return pool;
}

const count = (operation: string, table = '') =>
  `db_client_operation_duration_seconds_count{db_system="mysql",alias="main",operation="${operation}",table="${table}"}`;

describe('instrumentMysql2 on MariaDB 10.11', () => {
  it('counts the promise API: pool.query, pool.execute and a checked-out connection, with transactions', async () => {
    const pool = instrumentMysql2(promisePool(), { registry, alias: 'main' });
    await pool.query('CREATE TABLE dogs (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL)');
    await pool.execute('INSERT INTO dogs (name) VALUES (?)', ['Rex']);
    await pool.execute('INSERT INTO dogs (name) VALUES (?)', ['Fido']);
    const connection = await pool.getConnection();
    await connection.beginTransaction();
    await connection.query('UPDATE dogs SET name = ? WHERE id = 1', ['Max']);
    await connection.commit();
    await connection.beginTransaction();
    await connection.query('DELETE FROM dogs');
    await connection.rollback();
    connection.release();
    const [rows] = await pool.query('SELECT name FROM dogs ORDER BY id');
    expect(rows).toEqual([{ name: 'Max' }, { name: 'Fido' }]);
    expect(await operationCounts(registry)).toEqual([
      `${count('CREATE')} 1`,
      `${count('INSERT')} 2`,
      `${count('BEGIN')} 2`,
      `${count('UPDATE')} 1`,
      `${count('COMMIT')} 1`,
      `${count('DELETE')} 1`,
      `${count('ROLLBACK')} 1`,
      `${count('SELECT')} 1`,
    ]);
    expect(await lines(registry, 'db_client_transactions_ended_total')).toEqual([
      'db_client_transactions_ended_total{db_system="mysql",alias="main",outcome="committed"} 1',
      'db_client_transactions_ended_total{db_system="mysql",alias="main",outcome="rolled_back"} 1',
    ]);
    expect(await lines(registry, 'db_client_connections_created_total')).toEqual([
      'db_client_connections_created_total{db_system="mysql",alias="main"} 1',
    ]);
  });

  it('counts the callback API: a connection and a pool, and errors by SQLSTATE class', async () => {
    const connection = instrumentMysql2(mysql.createConnection({ uri: mariadb.url }), {
      registry,
      alias: 'main',
    });
    cleanups.push(() => new Promise((resolve) => connection.end(resolve)));
    const query = (sql: string, values: unknown[] = []) =>
      new Promise<unknown>((resolve, reject) =>
        connection.query(sql, values, (error, result) => (error ? reject(error) : resolve(result))),
      );
    await query('CREATE TABLE t (id INT PRIMARY KEY)');
    await query('INSERT INTO t VALUES (?)', [1]);
    await expect(query('INSERT INTO t VALUES (?)', [1])).rejects.toMatchObject({ code: 'ER_DUP_ENTRY' });
    await expect(query("SELEC 'secret-value'")).rejects.toMatchObject({ code: 'ER_PARSE_ERROR' });
    await expect(query('SELECT * FROM missing')).rejects.toMatchObject({ code: 'ER_NO_SUCH_TABLE' });
    expect(await lines(registry, 'db_client_operation_errors_total')).toEqual([
      'db_client_operation_errors_total{db_system="mysql",alias="main",operation="INSERT",error_type="sqlstate_23"} 1',
      'db_client_operation_errors_total{db_system="mysql",alias="main",operation="OTHER",error_type="sqlstate_42"} 1',
      'db_client_operation_errors_total{db_system="mysql",alias="main",operation="SELECT",error_type="sqlstate_42"} 1',
    ]);
    expect(await lines(registry, 'db_client_connections_created_total')).toEqual([
      'db_client_connections_created_total{db_system="mysql",alias="main"} 1',
    ]);
    expect((await operationCounts(registry)).join('\n')).not.toContain('secret');
  });

  it('counts a query timeout by its code, and reads an exhausted pool as requests waiting', async () => {
    const pool = instrumentMysql2(promisePool({ connectionLimit: 1 }), { registry, alias: 'main' });
    await expect(pool.query({ sql: 'SELECT SLEEP(0.5)', timeout: 50 })).rejects.toMatchObject({
      code: 'PROTOCOL_SEQUENCE_TIMEOUT',
    });
    const held = await pool.getConnection();
    const waiting = pool.query('SELECT 1');
    expect(await lines(registry, 'db_client_connection_count')).toEqual([
      'db_client_connection_count{db_system="mysql",alias="main",state="idle"} 0',
      'db_client_connection_count{db_system="mysql",alias="main",state="used"} 1',
    ]);
    expect(await lines(registry, 'db_client_connection_pending_requests')).toEqual([
      'db_client_connection_pending_requests{db_system="mysql",alias="main"} 1',
    ]);
    held.release();
    await waiting;
    expect(await lines(registry, 'db_client_connection_pending_requests')).toEqual([
      'db_client_connection_pending_requests{db_system="mysql",alias="main"} 0',
    ]);
    expect(await lines(registry, 'db_client_operation_errors_total')).toEqual([
      'db_client_operation_errors_total{db_system="mysql",alias="main",operation="SELECT",error_type="PROTOCOL_SEQUENCE_TIMEOUT"} 1',
    ]);
  });

  it('labels hostile table names bounded', async () => {
    const pool = instrumentMysql2(promisePool(), { registry, alias: 'main', tables: true, maxTables: 1 });
    await pool.query('CREATE TABLE dogs (id INT)');
    await pool.query('SELECT * FROM `dogs`');
    await pool.query('SELECT * FROM `dogs`; -- `x`').catch(() => undefined);
    await pool.query(`SELECT * FROM \`${'w'.repeat(64)}\``).catch(() => undefined);
    await pool.query('SELECT * FROM `a``; DROP TABLE dogs; --`').catch(() => undefined);
    expect(await operationCounts(registry)).toEqual([
      `${count('CREATE', 'dogs')} 1`,
      `${count('SELECT', 'dogs')} 2`,
      `${count('SELECT', '<overflow>')} 2`,
    ]);
  });
});

describe('under Knex on mysql2', () => {
  it('counts the statements of a workload whose statements are known, each connection instrumented as Knex opens it', async () => {
    const db = knex({
      client: 'mysql2',
      connection: mariadb.url,
      pool: {
        min: 0,
        max: 2,
        // Knex pools mysql2 connections itself: each is handed over once, when it is opened.
        afterCreate(connection: mysql.Connection, done: (error: Error | null, connection: unknown) => void) {
          done(null, instrumentMysql2(connection, { registry, alias: 'main' }));
        },
      },
    });
    cleanups.push(() => db.destroy());
    await db.schema.createTable('dogs', (table) => {
      table.increments('id');
      table.string('name').notNullable();
    });
    await db('dogs').insert([{ name: 'Rex' }, { name: 'Fido' }, { name: 'Max' }]);
    expect(await db('dogs').where({ id: 1 }).select('name')).toEqual([{ name: 'Rex' }]);
    await db('dogs').where({ id: 1 }).update({ name: 'Bo' });
    await db('dogs').where({ id: 3 }).del();
    await db.transaction(async (trx) => {
      await trx('dogs').insert({ name: 'Ace' });
      await trx('dogs').insert({ name: 'Bea' });
    });
    await expect(
      db.transaction(async (trx) => {
        await trx('dogs').insert({ name: 'Never' });
        throw new Error('the application changed its mind');
      }),
    ).rejects.toThrow('the application changed its mind');
    expect(await db('dogs').count({ n: '*' })).toEqual([{ n: 4 }]);
    // INSERT: one of three rows, two committed, one rolled back; SELECT: the select and the count.
    expect(await operationCounts(registry)).toEqual([
      `${count('CREATE')} 1`,
      `${count('INSERT')} 4`,
      `${count('SELECT')} 2`,
      `${count('UPDATE')} 1`,
      `${count('DELETE')} 1`,
      `${count('BEGIN')} 2`,
      `${count('COMMIT')} 1`,
      `${count('ROLLBACK')} 1`,
    ]);
    expect(await lines(registry, 'db_client_transactions_ended_total')).toEqual([
      'db_client_transactions_ended_total{db_system="mysql",alias="main",outcome="committed"} 1',
      'db_client_transactions_ended_total{db_system="mysql",alias="main",outcome="rolled_back"} 1',
    ]);
  });
});

describe('when the server stops', () => {
  // Last: it stops the server.
  it('counts failures to get a connection when the server stops mid-run, and the application gets the errors it would without Promenade', async () => {
    const bare = promisePool({ connectionLimit: 2 });
    const pool = instrumentMysql2(promisePool({ connectionLimit: 2 }), { registry, alias: 'main' });
    await Promise.all([bare.query('SELECT 1'), pool.query('SELECT 1')]);
    await mariadb.stop();
    // The idle connection notices its server left: the next query on it fails, then connecting does.
    const attempt = async (target: mysqlPromise.Pool) => {
      const errors: { code?: string; message: string }[] = [];
      for (let i = 0; i < 3; i++) {
        const error = await target.query('SELECT 1').catch((failure: Error) => failure);
        if (error instanceof Error)
          errors.push({ code: (error as { code?: string }).code, message: error.message });
      }
      return errors;
    };
    const [bareErrors, errors] = await Promise.all([attempt(bare), attempt(pool)]);
    expect(errors).toEqual(bareErrors);
    expect(errors.at(-1)).toMatchObject({ code: 'ECONNREFUSED' });
    const refused = errors.filter((error) => error.code === 'ECONNREFUSED').length;
    expect(await lines(registry, 'db_client_connection_create_errors_total')).toEqual([
      `db_client_connection_create_errors_total{db_system="mysql",alias="main"} ${refused}`,
    ]);
    expect(await operationCounts(registry)).toEqual([`${count('SELECT')} ${1 + 3 - refused}`]);
  });
});
