import { describe, expect, it } from 'vitest';
import { operationOf } from '../src/statement/operation.js';
import { tableOf } from '../src/statement/table.js';

describe('operationOf', () => {
  it.each([
    ['SELECT 1', 'SELECT', 'none'],
    ['  select * from t', 'SELECT', 'none'],
    ['(SELECT 1) UNION (SELECT 2)', 'SELECT', 'none'],
    ['-- why\n/* how */ Insert into t values (1)', 'INSERT', 'none'],
    ['update t set a = 1', 'UPDATE', 'none'],
    ['DELETE FROM t', 'DELETE', 'none'],
    ['WITH x AS (SELECT 1) SELECT * FROM x', 'WITH', 'none'],
    ['BEGIN', 'BEGIN', 'begin'],
    ['BEGIN IMMEDIATE', 'BEGIN', 'begin'],
    ['START TRANSACTION', 'BEGIN', 'begin'],
    ['START SLAVE', 'OTHER', 'none'],
    ['COMMIT', 'COMMIT', 'commit'],
    ['END', 'COMMIT', 'commit'],
    ['ROLLBACK', 'ROLLBACK', 'rollback'],
    ['ROLLBACK TO SAVEPOINT a', 'ROLLBACK', 'none'],
    ['rollback to `\t_bs3.\t`', 'ROLLBACK', 'none'],
    ['SELEC 1', 'OTHER', 'none'],
    ['select_things()', 'OTHER', 'none'],
    ['SELECT1', 'OTHER', 'none'],
    ['', 'OTHER', 'none'],
    ['   ', 'OTHER', 'none'],
    ['TRANSACTIONAL', 'OTHER', 'none'],
    ['ÉSELECT', 'OTHER', 'none'],
  ])('%j is %s (transaction: %s)', (sql, label, transaction) => {
    expect(operationOf(sql)).toMatchObject({ label, transaction });
  });
});

describe('tableOf', () => {
  it.each([
    ['SELECT * FROM dogs WHERE id = 1', 'dogs'],
    ['select * from public.dogs', 'public.dogs'],
    ['SELECT * FROM "public"."Dog Walks"', 'public.Dog Walks'],
    ['INSERT INTO `walks` (a) VALUES (1)', 'walks'],
    ['UPDATE [owners] SET a = 1', 'owners'],
    ["SELECT 'FROM secret' FROM dogs", 'dogs'],
    ["SELECT 'it''s FROM x' FROM dogs", 'dogs'],
    ['SELECT * FROM (SELECT * FROM inner_t) AS x', 'inner_t'],
    ['CREATE TABLE IF NOT EXISTS dogs (id int)', 'dogs'],
    ['DROP TABLE IF EXISTS dogs', 'dogs'],
    ['SELECT 1', undefined],
    ["SELECT 'unterminated FROM x", undefined],
  ])('%j names %j', (sql, table) => {
    expect(tableOf(sql)).toBe(table);
  });
});
