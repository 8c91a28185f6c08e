import type { LabelSetCap } from '@promenade/core';
import { type DatabaseMetrics, defineDatabaseMetrics } from './database-metrics.js';
import { driverErrorType, isConnectionError } from './error-labels.js';
import { createLabelCap } from './label-caps.js';
import { PRISMA_METRIC_NAMES } from './metric-names.js';
import type { ResolvedAdapterOptions } from './options.js';

interface Incrementer {
  inc(value?: number): void;
}
interface Observer {
  observe(value: number): void;
}

/** The adapter methods that reach the database, as the `method` label names them. */
export type AdapterMethod = 'queryRaw' | 'executeRaw' | 'executeScript' | 'startTransaction';

/** The children of one adapter method: a call is one increment and one observation. */
export class MethodSeries {
  private readonly errorChildren = new Map<string, Incrementer>();

  constructor(
    private readonly recorder: DatabaseRecorder,
    private readonly method: AdapterMethod,
    private readonly calls: Incrementer,
    private readonly duration: Observer,
  ) {}

  succeeded(startedAt: number): void {
    this.calls.inc();
    this.duration.observe((performance.now() - startedAt) / 1000);
  }

  failed(error: unknown, startedAt: number): void {
    this.succeeded(startedAt);
    const type = driverErrorType(error);
    let child = this.errorChildren.get(type);
    if (!child) {
      child = this.recorder.errorChild(this.method, type);
      this.errorChildren.set(type, child);
    }
    child.inc();
    if (isConnectionError(error)) this.recorder.connectionFailed();
  }
}

/** Everything one wrapped adapter factory records, with its (vendor, alias) children made once. */
export class DatabaseRecorder {
  readonly queryRaw: MethodSeries;
  readonly executeRaw: MethodSeries;
  readonly executeScript: MethodSeries;
  readonly startTransaction: MethodSeries;
  private readonly metrics: DatabaseMetrics;
  private readonly labels: { vendor: string; alias: string };
  private readonly errorCap: LabelSetCap;
  private readonly started: Incrementer;
  private readonly committed: Incrementer;
  private readonly rolledBack: Incrementer;
  private readonly opened: Incrementer;
  private readonly openFailed: Incrementer;

  constructor(options: ResolvedAdapterOptions, vendor: string) {
    const metrics = defineDatabaseMetrics(options);
    const labels = { vendor, alias: options.alias };
    this.metrics = metrics;
    this.labels = labels;
    this.errorCap = createLabelCap(options, options.prefix + PRISMA_METRIC_NAMES.queryErrors, 'type');
    const series = (method: AdapterMethod) =>
      new MethodSeries(
        this,
        method,
        metrics.queries.labels({ ...labels, method }),
        metrics.duration.labels({ ...labels, method }),
      );
    this.queryRaw = series('queryRaw');
    this.executeRaw = series('executeRaw');
    this.executeScript = series('executeScript');
    this.startTransaction = series('startTransaction');
    this.started = metrics.transactionsStarted.labels(labels);
    this.committed = metrics.transactionsEnded.labels({ ...labels, outcome: 'committed' });
    this.rolledBack = metrics.transactionsEnded.labels({ ...labels, outcome: 'rolled_back' });
    this.opened = metrics.newConnections.labels(labels);
    this.openFailed = metrics.newConnectionErrors.labels(labels);
    // Zero from the start, so a rate() over connection errors exists before the first one.
    for (const child of [this.started, this.committed, this.rolledBack, this.opened, this.openFailed])
      child.inc(0);
  }

  errorChild(method: AdapterMethod, type: string): Incrementer {
    return this.metrics.errors.labels(this.errorCap.admit({ ...this.labels, method, type }));
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
}
