import { type CounterSeries, createFailureReporter, type FailureReporter } from '@promenade/core/adapter';
import { OVERFLOW_VALUE, PACKAGE_NAME } from '../metric-names.js';
import type { ResolvedOptions } from '../options.js';
import { type DatabaseFamilies, defineDatabaseFamilies } from '../schema/database-families.js';
import { OPERATIONS, operationOf, type TransactionEffect } from '../statement/operation.js';
import { MAX_TABLE_NAME, tableOf } from '../statement/table.js';
import { errorTypeOf } from './error-type.js';
import { type DatabaseSink, OperationSeries } from './operation-series.js';

/**
 * The database systems, as the `db_system` label names them (OpenTelemetry's `db.system.name`
 * values); the last three only come from sources such as Prisma's driver adapters.
 */
export type DatabaseSystem =
  | 'postgresql'
  | 'mysql'
  | 'mariadb'
  | 'sqlite'
  | 'microsoft.sql_server'
  | 'cockroachdb'
  | 'other';

/** Statement texts whose series a database keeps when tables are labelled; past it, each is parsed again. */
const MAX_CACHED_STATEMENTS = 2_000;

/**
 * Everything one wrapped database (a pool, a client, a SQLite file) records, with its
 * (db_system, alias) series made once. Drivers hand it a statement's text and get the series
 * that statement records into; they never see a family.
 */
export class DatabaseRecorder implements DatabaseSink {
  /** Where a failure to record goes: said, never thrown into the application's query. */
  readonly failures: FailureReporter = createFailureReporter((message, error) => {
    process.emitWarning(`${PACKAGE_NAME}: ${message}: ${String(error)}`, {
      code: 'PROMENADE_DB_RECORDING_FAILED',
    });
  });
  private readonly families: DatabaseFamilies;
  private readonly labels: readonly [system: string, alias: string];
  private readonly byOperation: (OperationSeries | undefined)[] = new Array(OPERATIONS.length);
  private readonly byStatement = new Map<string, OperationSeries>();
  private readonly byOperationAndTable = new Map<string, OperationSeries>();
  private readonly tables = new Set<string>();
  private lastText: string | undefined;
  private lastSeries: OperationSeries | undefined;
  private readonly started: CounterSeries;
  private readonly committed: CounterSeries;
  private readonly rolledBack: CounterSeries;
  private readonly created: CounterSeries;
  private readonly createFailed: CounterSeries;

  constructor(
    private readonly options: ResolvedOptions,
    readonly system: DatabaseSystem,
    private readonly namedErrors?: (error: Error) => string | undefined,
  ) {
    const families = defineDatabaseFamilies(options);
    const labels = [system, options.alias] as const;
    this.families = families;
    this.labels = labels;
    // Series exist at zero from here, so a rate() over connection errors exists before the first one.
    this.started = families.transactionsStarted.series(labels);
    this.committed = families.transactionsEnded.series([...labels, 'committed']);
    this.rolledBack = families.transactionsEnded.series([...labels, 'rolled_back']);
    this.created = families.connectionsCreated.series(labels);
    this.createFailed = families.connectionCreateErrors.series(labels);
  }

  /** The series a statement records into: by its first keyword, and its table when asked for. */
  statement(sql: string): OperationSeries {
    // A pool runs the same text over and over (an ORM's, a prepared query's): the last one's
    // series is kept, so a repeat costs a string comparison instead of reading its first word.
    if (sql === this.lastText) return this.lastSeries!;
    const series = this.seriesOf(sql);
    this.lastText = sql;
    this.lastSeries = series;
    return series;
  }

  private seriesOf(sql: string): OperationSeries {
    if (!this.options.tables) {
      const operation = operationOf(sql);
      return this.byOperation[operation.index] ?? this.addOperation(operation.index);
    }
    return this.byStatement.get(sql) ?? this.addStatement(sql);
  }

  connectionCreated(): void {
    this.created.inc();
  }

  connectionFailed(): void {
    this.createFailed.inc();
  }

  errorType(error: unknown): string {
    return errorTypeOf(error, this.namedErrors);
  }

  errorSeries(operation: string, type: string): CounterSeries {
    return this.families.errors.series([...this.labels, operation, type]);
  }

  /** A BEGIN, COMMIT or ROLLBACK settled: a failed COMMIT ends the transaction too, rolled back. */
  transactionStatement(effect: TransactionEffect, succeeded: boolean): void {
    if (effect === 'begin') {
      if (succeeded) this.started.inc();
    } else if (effect === 'commit' && succeeded) this.committed.inc();
    else this.rolledBack.inc();
  }

  private addOperation(index: number): OperationSeries {
    const operation = OPERATIONS[index]!;
    const series = new OperationSeries(
      this,
      operation,
      this.families.duration.series([...this.labels, operation.label, '']),
    );
    this.byOperation[index] = series;
    return series;
  }

  private addStatement(sql: string): OperationSeries {
    const operation = operationOf(sql);
    const table = this.tableLabel(tableOf(sql));
    const key = `${operation.label}\u0000${table}`;
    let series = this.byOperationAndTable.get(key);
    if (!series) {
      series = new OperationSeries(
        this,
        operation,
        this.families.duration.series([...this.labels, operation.label, table]),
      );
      this.byOperationAndTable.set(key, series);
    }
    if (this.byStatement.size < MAX_CACHED_STATEMENTS) this.byStatement.set(sql, series);
    return series;
  }

  /** Tables are labelled as written, up to `maxTables` of them and `MAX_TABLE_NAME` characters. */
  private tableLabel(table: string | undefined): string {
    if (table === undefined) return '';
    if (table.length > MAX_TABLE_NAME) return OVERFLOW_VALUE;
    if (this.tables.has(table)) return table;
    if (this.tables.size >= this.options.maxTables) return OVERFLOW_VALUE;
    this.tables.add(table);
    return table;
  }
}
