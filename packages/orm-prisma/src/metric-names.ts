/**
 * The names of the Prisma families, before the user's prefix. Every name starts with
 * `prisma_`, uses base units and ends counters in `_total`.
 */
export const PRISMA_METRIC_NAMES = Object.freeze({
  // Client extension: model operations (django_model_*).
  operations: 'prisma_model_operations_total',
  operationDuration: 'prisma_model_operation_duration_seconds',
  operationErrors: 'prisma_model_operation_errors_total',
  reads: 'prisma_model_reads_total',
  inserts: 'prisma_model_inserts_total',
  updates: 'prisma_model_updates_total',
  upserts: 'prisma_model_upserts_total',
  deletes: 'prisma_model_deletes_total',
  // The driver-adapter wrapper records on @promenade/db's schema (DB_METRIC_NAMES there): its
  // own names are the model rows families above, when given the models.
  // Migrations (django_migrations_*).
  migrationsApplied: 'prisma_migrations_applied',
  migrationsPending: 'prisma_migrations_pending',
  // Observations whose label set the cardinality cap folded.
  folded: 'prisma_label_sets_folded_total',
});

/** Query latencies: a cached read is well under a millisecond, a slow report takes seconds. */
export const DEFAULT_QUERY_BUCKETS: readonly number[] = Object.freeze([
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/** The value a folded label takes once a metric reaches its label-set cap. */
export const OVERFLOW_VALUE = '<overflow>';

export const PACKAGE_NAME = '@promenade/orm-prisma';
