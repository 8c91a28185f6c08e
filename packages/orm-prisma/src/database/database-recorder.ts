import type { CounterSeries, HistogramSeries } from '@promenade/core/adapter';
import { ErrorCounts } from '../error-counts.js';
import type { ResolvedAdapterOptions } from '../options.js';
import type { SettledCallSeries } from '../record-settled.js';
import { type DatabaseMetrics, defineDatabaseMetrics } from './database-metrics.js';
import { driverErrorType, isConnectionError } from './driver-error-type.js';

/** The adapter methods that reach the database, as the `method` label names them. */
export type AdapterMethod = 'queryRaw' | 'executeRaw' | 'executeScript' | 'startTransaction';

/** The series of one adapter method: a call is one addition and one bucket search. */
export class MethodSeries implements SettledCallSeries {
  constructor(
    private readonly recorder: DatabaseRecorder,
    private readonly calls: CounterSeries,
    private readonly duration: HistogramSeries,
    private readonly errors: ErrorCounts,
  ) {}

  succeeded(_result: unknown, startedAt: number): void {
    this.called(startedAt);
  }

  failed(error: unknown, startedAt: number): void {
    this.called(startedAt);
    this.errors.inc(driverErrorType(error));
    if (isConnectionError(error)) this.recorder.connectionFailed();
  }

  private called(startedAt: number): void {
    this.calls.inc();
    this.duration.observe((performance.now() - startedAt) / 1000);
  }
}

/** Everything one wrapped adapter factory records, with its (vendor, alias) series made once. */
export class DatabaseRecorder {
  private readonly methods: Partial<Record<AdapterMethod, MethodSeries>> = {};
  private readonly metrics: DatabaseMetrics;
  private readonly labels: readonly [vendor: string, alias: string];
  private readonly started: CounterSeries;
  private readonly committed: CounterSeries;
  private readonly rolledBack: CounterSeries;
  private readonly opened: CounterSeries;
  private readonly openFailed: CounterSeries;

  constructor(options: ResolvedAdapterOptions, vendor: string) {
    const metrics = defineDatabaseMetrics(options);
    const labels = [vendor, options.alias] as const;
    this.metrics = metrics;
    this.labels = labels;
    // Series exist at zero from here, so a rate() over connection errors exists before the first one.
    this.started = metrics.transactionsStarted.series(labels);
    this.committed = metrics.transactionsEnded.series([...labels, 'committed']);
    this.rolledBack = metrics.transactionsEnded.series([...labels, 'rolled_back']);
    this.opened = metrics.newConnections.series(labels);
    this.openFailed = metrics.newConnectionErrors.series(labels);
  }

  // A method's series appear with its first call: a database never scripted shows no executeScript.
  get queryRaw(): MethodSeries {
    return this.methods.queryRaw ?? this.addMethod('queryRaw');
  }

  get executeRaw(): MethodSeries {
    return this.methods.executeRaw ?? this.addMethod('executeRaw');
  }

  get executeScript(): MethodSeries {
    return this.methods.executeScript ?? this.addMethod('executeScript');
  }

  get startTransaction(): MethodSeries {
    return this.methods.startTransaction ?? this.addMethod('startTransaction');
  }

  transactionStarted(): void {
    this.started.inc();
  }

  transactionEnded(outcome: 'committed' | 'rolled_back'): void {
    (outcome === 'committed' ? this.committed : this.rolledBack).inc();
  }

  connectionOpened(): void {
    this.opened.inc();
  }

  connectionFailed(): void {
    this.openFailed.inc();
  }

  private addMethod(method: AdapterMethod): MethodSeries {
    const { queries, duration, errors } = this.metrics;
    const labels = [...this.labels, method];
    const series = new MethodSeries(
      this,
      queries.series(labels),
      duration.series(labels),
      new ErrorCounts((type) => errors.series([...labels, type])),
    );
    this.methods[method] = series;
    return series;
  }
}
