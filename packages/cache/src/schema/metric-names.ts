/**
 * The cache schema, one for every client: the names before the user's prefix. The `get` family
 * keeps django-prometheus's names (`django_cache_get_total` and its hits, misses and fails, with
 * `cache_` for `django_cache_`), so its dashboards and hit-ratio alerts port as they are; the
 * rest follow OpenTelemetry's database-client conventions (an operation counter, a duration in
 * seconds by operation, errors by `error_type`). README.md, "The schema", says why.
 */
export const CACHE_METRIC_NAMES = Object.freeze({
  gets: 'cache_get_total',
  hits: 'cache_get_hits_total',
  misses: 'cache_get_misses_total',
  getFailures: 'cache_get_fail_total',
  sets: 'cache_set_total',
  deletes: 'cache_delete_total',
  operations: 'cache_operations_total',
  operationDuration: 'cache_operation_duration_seconds',
  operationErrors: 'cache_operation_errors_total',
  connected: 'cache_connected',
  reconnects: 'cache_reconnects_total',
});

/** A Redis round trip on loopback is tens of microseconds; a slow command takes seconds. */
export const DEFAULT_CACHE_BUCKETS: readonly number[] = Object.freeze([
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
]);

export const PACKAGE_NAME = '@promenade/cache';
