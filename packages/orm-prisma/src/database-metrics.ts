import { counter, histogram } from '@promenade/core';
import type { Counter, Histogram } from 'prom-client';
import { PRISMA_METRIC_NAMES } from './metric-names.js';
import type { ResolvedMetricsOptions } from './options.js';

type Db = 'vendor' | 'alias';

/** The database-layer families of one (registry, prefix), defined idempotently through core. */
export interface DatabaseMetrics {
  readonly queries: Counter<Db | 'method'>;
  readonly duration: Histogram<Db | 'method'>;
  readonly errors: Counter<Db | 'method' | 'type'>;
  readonly transactionsStarted: Counter<Db>;
  readonly transactionsEnded: Counter<Db | 'outcome'>;
  readonly newConnections: Counter<Db>;
  readonly newConnectionErrors: Counter<Db>;
}

export function defineDatabaseMetrics(options: ResolvedMetricsOptions): DatabaseMetrics {
  const { registry, prefix, buckets } = options;
  const names = PRISMA_METRIC_NAMES;
  return {
    queries: counter({
      name: prefix + names.queries,
      help: 'Calls into the database driver adapter, failed ones included, by adapter method (queryRaw, executeRaw, executeScript, startTransaction).',
      labelNames: ['vendor', 'alias', 'method'],
      registry,
    }),
    duration: histogram({
      name: prefix + names.queryDuration,
      help: 'Duration of calls into the database driver adapter, in seconds.',
      labelNames: ['vendor', 'alias', 'method'],
      buckets,
      registry,
    }),
    errors: counter({
      name: prefix + names.queryErrors,
      help: 'Calls into the database driver adapter that failed, by error type (the driver adapter error kind).',
      labelNames: ['vendor', 'alias', 'method', 'type'],
      registry,
    }),
    transactionsStarted: counter({
      name: prefix + names.transactionsStarted,
      help: 'Database transactions started through the driver adapter.',
      labelNames: ['vendor', 'alias'],
      registry,
    }),
    transactionsEnded: counter({
      name: prefix + names.transactionsEnded,
      help: 'Database transactions ended through the driver adapter, by outcome (committed, rolled_back).',
      labelNames: ['vendor', 'alias', 'outcome'],
      registry,
    }),
    newConnections: counter({
      name: prefix + names.newConnections,
      help: 'Database connections opened: pool connections where the driver pools, else adapter connections.',
      labelNames: ['vendor', 'alias'],
      registry,
    }),
    newConnectionErrors: counter({
      name: prefix + names.newConnectionErrors,
      help: 'Database connections that could not be opened (unreachable, refused, authentication failed...).',
      labelNames: ['vendor', 'alias'],
      registry,
    }),
  };
}
