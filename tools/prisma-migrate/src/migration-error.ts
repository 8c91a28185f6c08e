import { PACKAGE_NAME } from './package-name.js';

/** Stable codes, so that scripts can branch on `error.code`. */
export type MigrationErrorCode =
  /**
   * A migration's migration.sql cannot be read. (A folder that cannot be read at all is reported
   * by orm-prisma's reader, as a `MigrationFolderError` of this same code.)
   */
  | 'ERR_PROMENADE_MIGRATION_FOLDER'
  /** migration_lock.toml names another provider than the database's. */
  | 'ERR_PROMENADE_MIGRATION_PROVIDER'
  /** An applied migration's file changed since (Prisma refuses too). */
  | 'ERR_PROMENADE_MIGRATION_CHECKSUM'
  /** A migration started earlier never finished: it needs a look before anything else applies (Prisma's P3009). */
  | 'ERR_PROMENADE_MIGRATION_BLOCKED'
  /** No migrations table, yet the database has tables: it needs baselining first (Prisma's P3005). */
  | 'ERR_PROMENADE_MIGRATION_SCHEMA_NOT_EMPTY'
  /** A migration's SQL failed; its transaction was rolled back. The driver's error is the `cause`. */
  | 'ERR_PROMENADE_MIGRATION_FAILED';

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  readonly code: MigrationErrorCode;
  /** The migration concerned, when there is one. */
  readonly migration: string | undefined;

  constructor(
    code: MigrationErrorCode,
    message: string,
    options: { migration?: string; cause?: unknown } = {},
  ) {
    super(`${PACKAGE_NAME}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.migration = options.migration;
  }
}
