import { hasNodeSqlite, instrumentNodeSqlite, type SqliteDatabaseLike } from '@promenade/db';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { lines, operationCounts } from './support/exposition.js';

// Run on Node 20 by the main run and on Node 22 and 24 by the per-Node runs (scripts/test.mjs):
// each Node checks what it should, and none skips.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const expectedToHaveIt = major > 22 || (major === 22 && minor >= 13);

interface DatabaseSyncLike extends SqliteDatabaseLike {
  close(): void;
}

function openDatabase(): DatabaseSyncLike {
  const sqlite = process.getBuiltinModule('node:sqlite') as {
    DatabaseSync: new (path: string) => DatabaseSyncLike;
  };
  return new sqlite.DatabaseSync(':memory:');
}

const count = (operation: string) =>
  `db_client_operation_duration_seconds_count{db_system="sqlite",alias="main",operation="${operation}",table=""}`;

describe(`instrumentNodeSqlite on Node ${process.versions.node}`, () => {
  it(`knows whether this Node has node:sqlite (${expectedToHaveIt ? 'it has' : 'it has not'})`, () => {
    expect(hasNodeSqlite()).toBe(expectedToHaveIt);
  });

  if (!expectedToHaveIt) {
    it('says clearly that this Node has no node:sqlite, and what to use instead', () => {
      expect(() => instrumentNodeSqlite({ prepare() {}, exec() {} } as never)).toThrow(
        expect.objectContaining({
          name: 'PromenadeError',
          code: 'ERR_PROMENADE_UNSUPPORTED_RUNTIME',
          message: `@promenade/db: node:sqlite is not available in Node ${process.versions.node}; it needs Node 22.5 or later (with --experimental-sqlite before 22.13). On this Node, use better-sqlite3 and instrumentBetterSqlite3`,
        }),
      );
    });
    return;
  }

  it('times statements, exec scripts and transactions, and counts errors by SQLite result code', async () => {
    const registry = new Registry();
    const db = instrumentNodeSqlite(openDatabase(), { registry, alias: 'main' });
    try {
      db.exec('CREATE TABLE dogs (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
      const insert = db.prepare('INSERT INTO dogs (name) VALUES (?)') as { run(name: string): unknown };
      db.exec('BEGIN');
      insert.run('Rex');
      insert.run('Fido');
      db.exec('COMMIT');
      db.exec('BEGIN');
      insert.run('Max');
      db.exec('ROLLBACK');
      const select = db.prepare('SELECT name FROM dogs ORDER BY id') as {
        all(): unknown[];
        iterate(): Iterable<unknown>;
      };
      expect(select.all()).toEqual([{ name: 'Rex' }, { name: 'Fido' }]);
      expect([...select.iterate()]).toHaveLength(2);
      expect(() => db.prepare('SELEC 1')).toThrow(/syntax error/);
      expect(() =>
        (
          db.prepare('INSERT INTO dogs (id, name) VALUES (?, ?)') as { run(...values: unknown[]): unknown }
        ).run(1, 'Again'),
      ).toThrow(/UNIQUE constraint failed/);
      expect(await operationCounts(registry)).toEqual([
        `${count('CREATE')} 1`,
        `${count('INSERT')} 4`,
        `${count('BEGIN')} 2`,
        `${count('COMMIT')} 1`,
        `${count('ROLLBACK')} 1`,
        `${count('SELECT')} 2`,
        `${count('OTHER')} 1`,
      ]);
      expect(await lines(registry, 'db_client_transactions_ended_total')).toEqual([
        'db_client_transactions_ended_total{db_system="sqlite",alias="main",outcome="committed"} 1',
        'db_client_transactions_ended_total{db_system="sqlite",alias="main",outcome="rolled_back"} 1',
      ]);
      expect(await lines(registry, 'db_client_operation_errors_total')).toEqual([
        'db_client_operation_errors_total{db_system="sqlite",alias="main",operation="OTHER",error_type="SQLITE_ERROR"} 1',
        'db_client_operation_errors_total{db_system="sqlite",alias="main",operation="INSERT",error_type="SQLITE_CONSTRAINT"} 1',
      ]);
    } finally {
      db.close();
    }
  });
});
