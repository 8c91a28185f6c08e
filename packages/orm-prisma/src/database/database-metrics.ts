import type { SeriesCounter, SeriesHistogram } from '@promenade/core/adapter';
import { PRISMA_METRIC_NAMES } from '../metric-names.js';
import type { ResolvedMetricsOptions } from '../options.js';
import { defineCounter, defineHistogram } from '../series-families.js';

/**
 * The database-layer families of one (registry, prefix), defined once and shared. Every
 * family is labelled (vendor, alias, ...): values the code chooses, from bounded sets, so
 * only the error type is capped.
 */
export interface DatabaseMetrics {
  /** Labels (vendor, alias, method). */
  readonly queries: SeriesCounter;
  /** Labels (vendor, alias, method). */
  readonly duration: SeriesHistogram;
  /** Labels (vendor, alias, method, type); the cap folds `type`. */
  readonly errors: SeriesCounter;
  /** Labels (vendor, alias). */
  readonly transactionsStarted: SeriesCounter;
  /** Labels (vendor, alias, outcome). */
  readonly transactionsEnded: SeriesCounter;
  /** Labels (vendor, alias). */
  readonly newConnections: SeriesCounter;
  /** Labels (vendor, alias). */
  readonly newConnectionErrors: SeriesCounter;
}

export function defineDatabaseMetrics(options: ResolvedMetricsOptions): DatabaseMetrics {
  const names = PRISMA_METRIC_NAMES;
  const db = ['vendor', 'alias'];
  return {
    queries: defineCounter(options, {
      name: names.queries,
      help: 'Calls into the database driver adapter, failed ones included, by adapter method (queryRaw, executeRaw, executeScript, startTransaction).',
      labelNames: [...db, 'method'],
    }),
    duration: defineHistogram(options, {
      name: names.queryDuration,
      help: 'Duration of calls into the database driver adapter, in seconds.',
      labelNames: [...db, 'method'],
    }),
    errors: defineCounter(options, {
      name: names.queryErrors,
      help: 'Calls into the database driver adapter that failed, by error type (the driver adapter error kind).',
      labelNames: [...db, 'method', 'type'],
      foldLabel: 'type',
    }),
    transactionsStarted: defineCounter(options, {
      name: names.transactionsStarted,
      help: 'Database transactions started through the driver adapter.',
      labelNames: db,
    }),
    transactionsEnded: defineCounter(options, {
      name: names.transactionsEnded,
      help: 'Database transactions ended through the driver adapter, by outcome (committed, rolled_back).',
      labelNames: [...db, 'outcome'],
    }),
    newConnections: defineCounter(options, {
      name: names.newConnections,
      help: 'Database connections opened: pool connections where the driver pools, else adapter connections.',
      labelNames: db,
    }),
    newConnectionErrors: defineCounter(options, {
      name: names.newConnectionErrors,
      help: 'Database connections that could not be opened (unreachable, refused, authentication failed...).',
      labelNames: db,
    }),
  };
}
