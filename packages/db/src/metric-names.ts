/**
 * The names of the database families, before the user's prefix: OpenTelemetry's database
 * client names in Prometheus' spelling (the unit in the name, counters ending in `_total`),
 * with the counters django-prometheus has and OpenTelemetry lacks (packages/db/README.md, "Why
 * these names").
 */
export const DB_METRIC_NAMES = Object.freeze({
  // db.client.operation.duration: its _count is django's execute count.
  operationDuration: 'db_client_operation_duration_seconds',
  operationErrors: 'db_client_operation_errors_total',
  transactionsStarted: 'db_client_transactions_started_total',
  transactionsEnded: 'db_client_transactions_ended_total',
  // django_db_new_connections_total, django_db_new_connection_errors_total.
  connectionsCreated: 'db_client_connections_created_total',
  connectionCreateErrors: 'db_client_connection_create_errors_total',
  // db.client.connection.count{state}, db.client.connection.pending_requests.
  connectionCount: 'db_client_connection_count',
  pendingRequests: 'db_client_connection_pending_requests',
  // Observations whose label set the cardinality cap folded.
  folded: 'db_label_sets_folded_total',
});

/** Query latencies: a cached read is well under a millisecond, a slow report takes seconds. */
export const DEFAULT_QUERY_BUCKETS: readonly number[] = Object.freeze([
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/** The value a folded label takes once a metric reaches its label-set cap. */
export const OVERFLOW_VALUE = '<overflow>';

export const PACKAGE_NAME = '@promenade/db';
