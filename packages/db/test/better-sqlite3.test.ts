import { instrumentBetterSqlite3 } from '@promenade/db';
import Database from 'better-sqlite3';
import { Registry } from 'prom-client';
import { beforeEach, describe, expect, it } from 'vitest';
import { lines, operationCounts } from './support/exposition.js';

let registry: Registry;

beforeEach(() => {
  registry = new Registry();
});

const count = (operation: string, table = '') =>
  `db_client_operation_duration_seconds_count{db_system="sqlite",alias="main",operation="${operation}",table="${table}"}`;

function open(options = {}) {
  return instrumentBetterSqlite3(new Database(':memory:'), { registry, alias: 'main', ...options });
}

describe('instrumentBetterSqlite3', () => {
  it('times every run, get, all and iterate of a prepared statement, and exec scripts', async () => {
    const db = open();
    db.exec('CREATE TABLE dogs (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO dogs (name) VALUES (?)');
    insert.run('Rex');
    insert.run('Fido');
    insert.run('Max');
    const select = db.prepare('SELECT * FROM dogs WHERE id = ?');
    expect(select.get(1)).toEqual({ id: 1, name: 'Rex' });
    expect(db.prepare('SELECT name FROM dogs').all()).toHaveLength(3);
    const names: string[] = [];
    for (const row of db.prepare('SELECT name FROM dogs ORDER BY id').iterate()) {
      names.push((row as { name: string }).name);
      if (names.length === 2) break;
    }
    expect(names).toEqual(['Rex', 'Fido']);
    db.prepare('UPDATE dogs SET name = ? WHERE id = ?').run('Bo', 1);
    db.prepare('DELETE FROM dogs WHERE id = ?').run(3);
    expect(await operationCounts(registry)).toEqual([
      `${count('CREATE')} 1`,
      `${count('INSERT')} 3`,
      `${count('SELECT')} 3`,
      `${count('UPDATE')} 1`,
      `${count('DELETE')} 1`,
    ]);
  });

  it('passes a statement its parameters as given, however many: none is not one undefined', async () => {
    const db = open();
    const one = db.prepare('SELECT ? AS a');
    expect(one.get(1)).toEqual({ a: 1 });
    expect(() => one.get(1, undefined)).toThrow('Too many parameter values were provided');
    const three = db.prepare('SELECT ? AS a, ? AS b, ? AS c');
    expect(three.get(1, 2, 3)).toEqual({ a: 1, b: 2, c: 3 });
    expect(three.all(1, 2, 3)).toEqual([{ a: 1, b: 2, c: 3 }]);
    expect(() => three.get(1, 2)).toThrow('Too few parameter values were provided');
    expect(() => three.run(1, 2, 3, 4)).toThrow('Too many parameter values were provided');
    expect(db.prepare('SELECT @x AS x').get({ x: 7 })).toEqual({ x: 7 });
    expect(db.prepare('SELECT 1 AS n').get()).toEqual({ n: 1 });
    expect(await operationCounts(registry)).toEqual([`${count('SELECT')} 8`]);
  });

  it('counts db.transaction functions: committed, rolled back on a throw, and a nested one as none', async () => {
    const db = open();
    db.exec('CREATE TABLE walks (id INTEGER)');
    const insert = db.prepare('INSERT INTO walks VALUES (?)');
    const addTwo = db.transaction((first: number) => {
      insert.run(first);
      insert.run(first + 1);
    });
    addTwo(1);
    const failing = db.transaction(() => {
      insert.run(10);
      throw new Error('the application changed its mind');
    });
    expect(() => failing()).toThrow('the application changed its mind');
    const outer = db.transaction(() => {
      addTwo(20); // nested: a savepoint, not a transaction
    });
    outer();
    expect(db.prepare('SELECT count(*) AS n FROM walks').get()).toEqual({ n: 4 });
    expect(await lines(registry, 'db_client_transactions_started_total')).toEqual([
      'db_client_transactions_started_total{db_system="sqlite",alias="main"} 3',
    ]);
    expect(await lines(registry, 'db_client_transactions_ended_total')).toEqual([
      'db_client_transactions_ended_total{db_system="sqlite",alias="main",outcome="committed"} 2',
      'db_client_transactions_ended_total{db_system="sqlite",alias="main",outcome="rolled_back"} 1',
    ]);
  });

  it('counts a statement that does not compile and a constraint violation by SQLite result code, passing the same error on', async () => {
    const db = open();
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    expect(() => db.prepare("SELEC 'secret-value'")).toThrow(/syntax error/);
    expect(() => db.prepare('SELECT * FROM missing')).toThrow(/no such table/);
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    insert.run(1);
    let thrown: unknown;
    try {
      insert.run(1);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Database.SqliteError);
    expect(thrown).toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(await lines(registry, 'db_client_operation_errors_total')).toEqual([
      'db_client_operation_errors_total{db_system="sqlite",alias="main",operation="OTHER",error_type="SQLITE_ERROR"} 1',
      'db_client_operation_errors_total{db_system="sqlite",alias="main",operation="SELECT",error_type="SQLITE_ERROR"} 1',
      'db_client_operation_errors_total{db_system="sqlite",alias="main",operation="INSERT",error_type="SQLITE_CONSTRAINT"} 1',
    ]);
    expect((await lines(registry, 'db_client_operation_duration_seconds_count')).join('\n')).not.toContain(
      'secret',
    );
  });

  it('labels hostile table names bounded: at most maxTables, none longer than 64 characters', async () => {
    const db = open({ tables: true, maxTables: 2 });
    // The long name comes first: it is folded for its length, not for coming past maxTables.
    const names = ['x'.repeat(200), 'dogs', 'owners', 'a"; DROP TABLE dogs; --', 'walks'];
    for (const name of names) db.exec(`CREATE TABLE "${name.replaceAll('"', '""')}" (id INTEGER)`);
    for (const name of names) db.prepare(`SELECT * FROM "${name.replaceAll('"', '""')}"`).all();
    expect(await operationCounts(registry)).toEqual([
      `${count('CREATE', '<overflow>')} 3`,
      `${count('CREATE', 'dogs')} 1`,
      `${count('CREATE', 'owners')} 1`,
      `${count('SELECT', '<overflow>')} 3`,
      `${count('SELECT', 'dogs')} 1`,
      `${count('SELECT', 'owners')} 1`,
    ]);
  });

  it('refuses what is not a database, and a database instrumented twice', () => {
    expect(() => instrumentBetterSqlite3(null as never)).toThrow(
      expect.objectContaining({
        code: 'ERR_PROMENADE_INVALID_OPTION',
        message: '@promenade/db: the object to instrument must be a better-sqlite3 Database (received null)',
      }),
    );
    const db = open();
    expect(() => instrumentBetterSqlite3(db, { registry })).toThrow(
      expect.objectContaining({
        code: 'ERR_PROMENADE_ALREADY_REGISTERED',
        message:
          '@promenade/db: this better-sqlite3 Database is instrumented already; instrument each better-sqlite3 Database once',
      }),
    );
    expect(() => instrumentBetterSqlite3(new Database(':memory:'), { alias: '' })).toThrow(
      expect.objectContaining({
        code: 'ERR_PROMENADE_INVALID_OPTION',
        message:
          '@promenade/db: option "alias" must be a non-empty string of at most 128 characters (received "")',
      }),
    );
  });
});
