import type { DatabaseMetricsOptions } from '../types.js';
import { instrumentSqlite, type SqliteDatabaseLike } from './sqlite-database.js';

/**
 * Instruments one better-sqlite3 `Database`, and returns it: statements it prepares from now on
 * are timed at every `run`, `get`, `all` and `iterate` (an iteration until its last row), `exec`
 * scripts by their first keyword, `db.transaction(...)` functions as transactions (their BEGIN,
 * COMMIT and ROLLBACK; nested ones use savepoints and end none). Only this object changes.
 * Call it before the first `prepare` and `transaction`: statements prepared earlier are not timed.
 *
 * @example
 * const db = instrumentBetterSqlite3(new Database('app.db'), { alias: 'default' });
 */
export function instrumentBetterSqlite3<T extends SqliteDatabaseLike>(
  db: T,
  options?: DatabaseMetricsOptions,
): T {
  return instrumentSqlite(db, options, 'better-sqlite3 Database');
}
