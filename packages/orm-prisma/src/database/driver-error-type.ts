import { databaseErrorType } from '@promenade/db';

interface DriverErrorCause {
  kind?: unknown;
  originalCode?: unknown;
}

/** The `cause` of a DriverAdapterError: a mapped error with a `kind`, from a fixed set. */
function driverCause(error: unknown): DriverErrorCause | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const { name, cause } = error as { name?: unknown; cause?: unknown };
  if (name !== 'DriverAdapterError' || cause === null || typeof cause !== 'object') return undefined;
  return typeof (cause as DriverErrorCause).kind === 'string' ? (cause as DriverErrorCause) : undefined;
}

/**
 * The `error_type` of a DriverAdapterError, on the drivers' scale: the driver's own code that
 * the adapter kept (`originalCode`: PostgreSQL's SQLSTATE becomes `sqlstate_23`, SQLite's
 * `SQLITE_CONSTRAINT_UNIQUE` becomes `SQLITE_CONSTRAINT`), else the adapter's kind, from a
 * fixed set (`DatabaseNotReachable`). Undefined for other errors, which the drivers' rules read.
 */
export function prismaErrorType(error: Error): string | undefined {
  const cause = driverCause(error);
  if (!cause) return undefined;
  const kind = cause.kind as string;
  const code = cause.originalCode;
  if (typeof code !== 'string') return kind;
  return databaseErrorType({ sqlState: code, code }, () => kind);
}

/** Kinds that mean no usable connection could be had, as opposed to a failing statement. */
const CONNECTION_KINDS: ReadonlySet<string> = new Set([
  'DatabaseNotReachable',
  'DatabaseDoesNotExist',
  'DatabaseAccessDenied',
  'AuthenticationFailed',
  'TlsConnectionError',
  'TooManyConnections',
]);

export function isConnectionError(error: unknown): boolean {
  const cause = driverCause(error);
  return cause !== undefined && CONNECTION_KINDS.has(cause.kind as string);
}
