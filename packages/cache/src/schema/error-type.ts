/**
 * The `error_type` label: a fixed set, never an error's message (which may hold a key).
 * A Redis error reply is labelled by its prefix when the prefix is one Redis documents, so
 * WRONGTYPE (a key of another type) and OOM (maxmemory reached) stay apart; a client that
 * lost its connection or gave up waiting is `connection` or `timeout`, whatever its wording.
 */
const REPLY_PREFIXES = new Set([
  'ERR',
  'WRONGTYPE',
  'NOSCRIPT',
  'READONLY',
  'LOADING',
  'BUSY',
  'OOM',
  'NOAUTH',
  'NOPERM',
  'MOVED',
  'ASK',
  'TRYAGAIN',
  'CLUSTERDOWN',
  'CROSSSLOT',
  'EXECABORT',
  'MASTERDOWN',
]);

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
]);

// Error class names of ioredis and node-redis 5 and 6 for a client without a usable connection.
const CONNECTION_NAMES = new Set([
  'ClientClosedError',
  'ClientOfflineError',
  'ConnectionTimeoutError',
  'SocketClosedUnexpectedlyError',
  'DisconnectsClientError',
  'MaxRetriesPerRequestError',
  'ClusterAllFailedError',
]);

const TIMEOUT_NAMES = new Set(['TimeoutError', 'CommandTimeoutError', 'SocketTimeoutError']);

// ioredis rejects commands on a closed or unwritable connection with plain Errors.
const CONNECTION_MESSAGES = [
  'Connection is closed',
  "Stream isn't writeable",
  'None of startup nodes',
  'The client is closed',
  'Socket closed unexpectedly',
];

const REPLY_NAMES = new Set(['ReplyError', 'ErrorReply', 'SimpleError', 'BlobError']);

export function cacheErrorType(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'other';
  const { message, code } = error as { message?: unknown; code?: unknown };
  // node-redis leaves its errors' `name` as "Error": their class tells what they are.
  const ownName = (error as { name?: unknown }).name;
  const name = ownName === 'Error' ? error.constructor?.name : ownName;
  if (typeof name === 'string') {
    if (TIMEOUT_NAMES.has(name)) return 'timeout';
    if (CONNECTION_NAMES.has(name)) return 'connection';
  }
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return 'connection';
  if (typeof message !== 'string') return 'other';
  if (typeof name === 'string' && REPLY_NAMES.has(name)) {
    const space = message.indexOf(' ');
    const prefix = space === -1 ? message : message.slice(0, space);
    return REPLY_PREFIXES.has(prefix) ? prefix : 'reply_other';
  }
  if (message.includes('timed out') || message.includes('Timeout')) return 'timeout';
  for (const phrase of CONNECTION_MESSAGES) if (message.includes(phrase)) return 'connection';
  return 'other';
}
