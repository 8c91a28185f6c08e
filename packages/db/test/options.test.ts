import { instrumentBetterSqlite3, instrumentMysql2, instrumentPg } from '@promenade/db';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';

const error = (code: string, message: string) =>
  expect.objectContaining({ name: 'PromenadeError', code, message });

describe('options', () => {
  it.each([
    [
      { alias: 42 },
      '@promenade/db: option "alias" must be a non-empty string of at most 128 characters (received 42)',
    ],
    [{ tables: 'yes' }, '@promenade/db: option "tables" must be a boolean (received "yes")'],
    [{ maxTables: 0 }, '@promenade/db: option "maxTables" must be an integer from 1 to 10000 (received 0)'],
  ])('%j fails at creation', (options, message) => {
    expect(() => instrumentBetterSqlite3(new Database(':memory:'), options as never)).toThrow(
      error('ERR_PROMENADE_INVALID_OPTION', message),
    );
  });

  it('an unknown option names the closest known one', () => {
    expect(() => instrumentBetterSqlite3(new Database(':memory:'), { allias: 'main' } as never)).toThrow(
      error(
        'ERR_PROMENADE_UNKNOWN_OPTION',
        '@promenade/db: option "allias" is not a known option; did you mean "alias"? (received "main")',
      ),
    );
  });

  it('invalid options leave the object as it was, so it can be instrumented after', () => {
    const pool = new pg.Pool();
    expect(() => instrumentPg(pool, { maxTables: -1 })).toThrow(
      error('ERR_PROMENADE_INVALID_OPTION', expect.any(String)),
    );
    expect(Object.hasOwn(pool, 'connect')).toBe(false);
    expect(instrumentPg(pool, { registry: new Registry() })).toBe(pool);
    void pool.end();
  });

  it('names what it wanted when handed something else', () => {
    expect(() => instrumentPg({} as never)).toThrow(
      error(
        'ERR_PROMENADE_INVALID_OPTION',
        '@promenade/db: the object to instrument must be a pg Pool or Client (received object)',
      ),
    );
    expect(() => instrumentMysql2(undefined as never)).toThrow(
      error(
        'ERR_PROMENADE_INVALID_OPTION',
        '@promenade/db: the object to instrument must be a mysql2 pool or connection (received undefined)',
      ),
    );
  });
});
