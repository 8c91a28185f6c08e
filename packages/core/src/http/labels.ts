/**
 * Label values from bounded sets. Everything here runs when a new (method, route,
 * status) combination is first seen, never per request.
 */

/** The route of a request that matched no route: one value, never the raw path. */
export const UNMATCHED_ROUTE = '<unmatched>';
/** The route value a label set is folded into once a metric reaches its cap. */
export const OVERFLOW_ROUTE = '<overflow>';
/** Any method outside the HTTP set (OpenTelemetry's convention). */
export const OTHER_METHOD = '_OTHER';
/** A status outside 100-599: something upstream produced a value HTTP does not have. */
export const OTHER_STATUS = 'other';
/** Recorded when the client went away before the response was complete (nginx's convention). */
export const CLIENT_CLOSED_REQUEST = 499;

export const HTTP_METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
] as const;

const METHOD_INDEX: ReadonlyMap<string, number> = new Map(
  HTTP_METHODS.map((method, index) => [method, index]),
);

/**
 * Index of the method in HTTP_METHODS, or HTTP_METHODS.length for anything else. Runs per
 * request: comparing with the common methods first is cheaper than hashing the string.
 */
export function methodIndex(method: string): number {
  if (method === 'GET') return 0;
  if (method === 'HEAD') return 1;
  if (method === 'POST') return 2;
  return METHOD_INDEX.get(method) ?? HTTP_METHODS.length;
}

export function normalizeMethod(method: unknown): string {
  return typeof method === 'string' && METHOD_INDEX.has(method) ? method : OTHER_METHOD;
}

export function normalizeStatusCode(statusCode: unknown): string {
  return Number.isInteger(statusCode) && (statusCode as number) >= 100 && (statusCode as number) <= 599
    ? String(statusCode)
    : OTHER_STATUS;
}

/** Error type label: the error's name, bounded in length; the metric's cap bounds the count. */
export function normalizeErrorType(error: unknown): string {
  if (error instanceof Error) return clip(error.name || error.constructor?.name || 'Error');
  if (error === null) return 'null';
  if (typeof error === 'object') return clip((error as object).constructor?.name ?? 'Object');
  return typeof error;
}

function clip(text: string): string {
  return text.length > 64 ? text.slice(0, 64) : text;
}
