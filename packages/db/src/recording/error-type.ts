import { normalizeErrorType } from '@promenade/core/adapter';

/** SQLite's primary result codes (the low byte of an extended code), as its C API names them. */
const SQLITE_PRIMARY: readonly string[] = [
  'OK',
  'ERROR',
  'INTERNAL',
  'PERM',
  'ABORT',
  'BUSY',
  'LOCKED',
  'NOMEM',
  'READONLY',
  'INTERRUPT',
  'IOERR',
  'CORRUPT',
  'NOTFOUND',
  'FULL',
  'CANTOPEN',
  'PROTOCOL',
  'EMPTY',
  'SCHEMA',
  'TOOBIG',
  'CONSTRAINT',
  'MISMATCH',
  'MISUSE',
  'NOLFS',
  'AUTH',
  'FORMAT',
  'RANGE',
  'NOTADB',
  'NOTICE',
  'WARNING',
];

const SQLSTATE = /^[0-9A-Z]{5}$/;
/** Codes drivers and Node give their own errors: ECONNREFUSED, PROTOCOL_CONNECTION_LOST, SQLITE_BUSY... */
const DRIVER_CODE = /^[A-Z][A-Z0-9_]{1,39}$/;

interface ErrorFacts {
  code?: unknown;
  sqlState?: unknown;
  severity?: unknown;
  errcode?: unknown;
}

/**
 * The `error_type` label of a failed operation, from fields drivers fill from fixed sets, never
 * the message: `sqlstate_<class>` for a SQL server's error (its SQLSTATE's first two characters:
 * 42 for a syntax error or a missing table, 23 for a constraint, 57 for a cancelled statement;
 * pg's `code`, mysql2's `sqlState`), `SQLITE_<primary code>` for SQLite (better-sqlite3's `code`,
 * node:sqlite's `errcode`), the driver's or Node's own code otherwise (ECONNREFUSED), else the
 * error's class name. `known` lets a driver name its own errors that carry no code.
 */
export function errorTypeOf(error: unknown, known?: (error: Error) => string | undefined): string {
  if (error === null || typeof error !== 'object') return normalizeErrorType(error);
  const facts = error as ErrorFacts;
  const sqlState =
    typeof facts.sqlState === 'string'
      ? facts.sqlState
      : typeof facts.severity === 'string' && typeof facts.code === 'string'
        ? facts.code // pg's DatabaseError: its code is the SQLSTATE
        : undefined;
  if (sqlState !== undefined && SQLSTATE.test(sqlState)) return `sqlstate_${sqlState.slice(0, 2)}`;
  if (typeof facts.errcode === 'number') {
    return `SQLITE_${SQLITE_PRIMARY[facts.errcode & 0xff] ?? 'ERROR'}`;
  }
  if (typeof facts.code === 'string' && DRIVER_CODE.test(facts.code)) {
    // SQLITE_CONSTRAINT_UNIQUE -> SQLITE_CONSTRAINT: the primary code is the bounded one.
    return facts.code.startsWith('SQLITE_') ? facts.code.replace(/^(SQLITE_[A-Z]+)_.*$/, '$1') : facts.code;
  }
  // Called for any object, not only Errors: a source may hand over the facts it read from its own wrapper.
  const named = known?.(error as Error);
  return named ?? normalizeErrorType(error);
}
