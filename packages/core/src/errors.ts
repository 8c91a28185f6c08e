/** Stable codes, so callers can branch on `error.code` instead of parsing messages. */
export type PromenadeErrorCode =
  | 'ERR_PROMENADE_UNKNOWN_OPTION'
  | 'ERR_PROMENADE_INVALID_OPTION'
  | 'ERR_PROMENADE_METRIC_CONFLICT'
  | 'ERR_PROMENADE_ALREADY_REGISTERED'
  | 'ERR_PROMENADE_PUSH_FAILED'
  | 'ERR_PROMENADE_NOT_PRIMARY'
  | 'ERR_PROMENADE_SOCKET_IN_USE'
  // A feature of a newer Node than the one running (node:sqlite on Node 20).
  | 'ERR_PROMENADE_UNSUPPORTED_RUNTIME';

export class PromenadeError extends Error {
  override readonly name = 'PromenadeError';
  readonly code: PromenadeErrorCode;

  constructor(code: PromenadeErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Renders a received value short enough to read in one line of a log. */
export function describeValue(value: unknown): string {
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  let text: string;
  try {
    // Non-finite numbers and functions inside arrays or objects would otherwise read as null.
    text =
      JSON.stringify(value, (_key, inner) =>
        (typeof inner === 'number' && !Number.isFinite(inner)) || typeof inner === 'function'
          ? describeValue(inner)
          : inner,
      ) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function optionError(
  packageName: string,
  path: string,
  rule: string,
  received: unknown,
  code: PromenadeErrorCode = 'ERR_PROMENADE_INVALID_OPTION',
  describe: (value: unknown) => string = describeValue,
): PromenadeError {
  return new PromenadeError(
    code,
    `${packageName}: option "${path}" ${rule} (received ${describe(received)})`,
  );
}

/**
 * Renders a value that may be a credential without echoing it: a string shows only its length,
 * anything else its type. Error messages end up in logs.
 */
export function describeSecret(value: unknown): string {
  if (typeof value === 'string') return `a string of length ${value.length}`;
  return value === null ? 'null' : typeof value;
}
