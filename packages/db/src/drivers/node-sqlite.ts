import { PromenadeError } from '@promenade/core';
import { PACKAGE_NAME } from '../metric-names.js';
import type { DatabaseMetricsOptions } from '../types.js';
import { instrumentSqlite, type SqliteDatabaseLike } from './sqlite-database.js';

/** Whether this Node has `node:sqlite` (22.5 and later; behind --experimental-sqlite before 22.13). */
export function hasNodeSqlite(): boolean {
  try {
    return process.getBuiltinModule?.('node:sqlite') !== undefined;
  } catch {
    return false;
  }
}

function unsupported(): PromenadeError {
  return new PromenadeError(
    'ERR_PROMENADE_UNSUPPORTED_RUNTIME',
    `${PACKAGE_NAME}: node:sqlite is not available in Node ${process.versions.node}; it needs Node 22.5 or later (with --experimental-sqlite before 22.13). On this Node, use better-sqlite3 and instrumentBetterSqlite3`,
  );
}

/**
 * Instruments one `DatabaseSync` of Node's built-in `node:sqlite`, and returns it: statements it
 * prepares from now on are timed at every `run`, `get`, `all` and `iterate`, `exec` scripts by
 * their first keyword, transactions by their BEGIN, COMMIT and ROLLBACK. Only this object
 * changes. Where Node has no `node:sqlite` (Node 20), it throws `ERR_PROMENADE_UNSUPPORTED_RUNTIME`.
 *
 * @example
 * const db = instrumentNodeSqlite(new DatabaseSync('app.db'), { alias: 'default' });
 */
export function instrumentNodeSqlite<T extends SqliteDatabaseLike>(
  db: T,
  options?: DatabaseMetricsOptions,
): T {
  if (!hasNodeSqlite()) throw unsupported();
  return instrumentSqlite(db, options, 'node:sqlite DatabaseSync');
}
