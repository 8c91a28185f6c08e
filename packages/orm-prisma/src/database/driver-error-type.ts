import { normalizeErrorType } from '@promenade/core/adapter';

interface DriverErrorCause {
  kind?: unknown;
  code?: unknown;
  extendedCode?: unknown;
}

/** The `cause` of a DriverAdapterError: a mapped error with a `kind`, from a fixed set. */
function driverCause(error: unknown): DriverErrorCause | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const { name, cause } = error as { name?: unknown; cause?: unknown };
  if (name !== 'DriverAdapterError' || cause === null || typeof cause !== 'object') return undefined;
  return typeof (cause as DriverErrorCause).kind === 'string' ? (cause as DriverErrorCause) : undefined;
}

/**
 * The `type` label of a failed database call. Driver adapters map driver errors to a fixed set
 * of kinds (UniqueConstraintViolation, DatabaseNotReachable...); the kinds that only say which
 * database answered carry its own code, which is bounded too (SQLSTATE, SQLite result codes).
 */
export function driverErrorType(error: unknown): string {
  const cause = driverCause(error);
  if (!cause) return normalizeErrorType(error);
  const kind = cause.kind as string;
  const code = cause.code ?? cause.extendedCode;
  return (typeof code === 'string' || typeof code === 'number') && String(code).length <= 16
    ? `${kind}:${code}`
    : kind;
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
