import {
  type ConflictContext,
  type LabelSetCap,
  SeriesCounter,
  SeriesHistogram,
} from '@promenade/core/adapter';
import { DB_METRIC_NAMES, OVERFLOW_VALUE, PACKAGE_NAME } from '../metric-names.js';
import type { ResolvedOptions } from '../options.js';

/** The labels every family starts with: which database, as a dashboard filters by them. */
export const DATABASE_LABELS = ['db_system', 'alias'] as const;

/**
 * The families of one (registry, prefix), defined on first use and shared by every wrapped
 * database after: one schema, whatever the driver. Every label but `table` and `error_type`
 * comes from a set the code fixes, so only those two fold.
 */
export interface DatabaseFamilies {
  /** Labels (db_system, alias, operation, table); the cap folds `table`. */
  readonly duration: SeriesHistogram;
  /** Labels (db_system, alias, operation, error_type); the cap folds `error_type`. */
  readonly errors: SeriesCounter;
  /** Labels (db_system, alias). */
  readonly transactionsStarted: SeriesCounter;
  /** Labels (db_system, alias, outcome): committed, rolled_back. */
  readonly transactionsEnded: SeriesCounter;
  /** Labels (db_system, alias). */
  readonly connectionsCreated: SeriesCounter;
  /** Labels (db_system, alias). */
  readonly connectionCreateErrors: SeriesCounter;
}

const CONTEXT: ConflictContext = { packageName: PACKAGE_NAME, remedy: 'choose another "prefix"' };

function foldCounter(options: ResolvedOptions): SeriesCounter {
  return SeriesCounter.define(
    {
      name: options.prefix + DB_METRIC_NAMES.folded,
      help: 'Observations whose label set was folded into "<overflow>" because the database metric reached its label-set cap.',
      labelNames: ['metric'],
      registry: options.registry,
    },
    CONTEXT,
  );
}

function cap(options: ResolvedOptions, label: string): LabelSetCap {
  return {
    label,
    foldedValue: OVERFLOW_VALUE,
    maxLabelSets: options.maxLabelSets,
    folds: foldCounter(options),
  };
}

function counter(
  options: ResolvedOptions,
  name: string,
  help: string,
  labelNames: readonly string[],
  foldLabel?: string,
) {
  return SeriesCounter.define(
    {
      name: options.prefix + name,
      help,
      labelNames,
      registry: options.registry,
      cap: foldLabel === undefined ? undefined : cap(options, foldLabel),
    },
    CONTEXT,
  );
}

export function defineDatabaseFamilies(options: ResolvedOptions): DatabaseFamilies {
  const names = DB_METRIC_NAMES;
  const db = DATABASE_LABELS;
  return {
    duration: SeriesHistogram.define(
      {
        name: options.prefix + names.operationDuration,
        help: "Duration of database operations (statements), failed ones included, in seconds, by operation (the statement's first keyword) and table.",
        labelNames: [...db, 'operation', 'table'],
        // A copy the histogram's series search on every query: V8 reads a frozen array's elements
        // through its generic keyed-load path (Builtins_KeyedLoadIC in the SQLite bench's profile).
        buckets: [...options.buckets],
        registry: options.registry,
        cap: cap(options, 'table'),
      },
      { ...CONTEXT, optionPaths: { buckets: 'buckets' } },
    ),
    errors: counter(
      options,
      names.operationErrors,
      "Database operations that failed, by error type (the SQLSTATE class, the SQLite result code, or the driver's error code).",
      [...db, 'operation', 'error_type'],
      'error_type',
    ),
    transactionsStarted: counter(options, names.transactionsStarted, 'Database transactions begun.', db),
    transactionsEnded: counter(
      options,
      names.transactionsEnded,
      'Database transactions ended, by outcome (committed, rolled_back).',
      [...db, 'outcome'],
    ),
    connectionsCreated: counter(options, names.connectionsCreated, 'Database connections opened.', db),
    connectionCreateErrors: counter(
      options,
      names.connectionCreateErrors,
      'Database connections that could not be opened or handed out (refused, unreachable, authentication failed, pool timeout).',
      db,
    ),
  };
}
