import cluster, { type Worker } from 'node:cluster';
import { register as globalRegistry, Registry } from 'prom-client';
import { PromenadeError } from '../errors.js';
import { EXPOSED_FROM_JSON, exposeJson } from '../exposition/collect-families.js';
import type { MetricFamily } from '../exposition/exposed-family.js';
import { TEXT_WRITER } from '../exposition/text-writer.js';
import { httpOptionShape } from '../options/http-options.js';
import { checkOptions, isPositiveInteger, type OptionShape } from '../options/option-rules.js';
import { aggregateFamilies } from './aggregate-families.js';
import type { AggregatedFamily } from './aggregated-series.js';
import { clusterFamilies } from './cluster-families.js';
import { CHANNEL, isMessage, type PrimaryMessage, type WorkerMessage } from './protocol.js';
import { WorkerSnapshot } from './worker-snapshot.js';

const PACKAGE = '@promenade/core';

export interface ClusterAggregatorOptions {
  /** The primary's own metrics, served beside the workers'. Default: prom-client's global registry. */
  registry?: Registry;
  /**
   * How long a scrape waits for a worker before serving its last snapshot. Default: 2000 ms,
   * well below Prometheus's default scrape_timeout of 10 s.
   */
  timeoutMs?: number;
  /**
   * How often the primary refreshes its copy of every worker's metrics, which bounds what a
   * crashed worker can take with it. Default: 1000 ms.
   */
  refreshIntervalMs?: number;
}

const aggregatorShape: OptionShape = {
  registry: httpOptionShape.registry!,
  timeoutMs: isPositiveInteger,
  refreshIntervalMs: isPositiveInteger,
};

interface PendingCollect {
  readonly request: number;
  readonly answered: Promise<void>;
  readonly resolve: () => void;
}

/**
 * The primary's registry of the whole cluster. Reading it (a scrape, `metrics()`,
 * `getMetricsAsJSON()`) asks every reporting worker for its changes, waits at most `timeoutMs`,
 * and serves the combination of every worker's last snapshot. Counters never go backwards: a
 * worker that dies or resets leaves its counts in a retained total.
 */
export class ClusterAggregator extends Registry {
  readonly [EXPOSED_FROM_JSON] = true;
  private readonly own: Registry;
  private readonly timeoutMs: number;
  private readonly families = new Map<string, AggregatedFamily>();
  private readonly workers = new Map<number, WorkerSnapshot>();
  private readonly pending = new Map<number, PendingCollect>();
  private nextRequest = 1;
  private readonly timer: NodeJS.Timeout;

  private readonly onMessage = (worker: Worker, message: unknown) => {
    if (!isMessage<WorkerMessage>(message)) return;
    let snapshot = this.workers.get(worker.id);
    if (!snapshot) {
      snapshot = new WorkerSnapshot(String(worker.id));
      this.workers.set(worker.id, snapshot);
    }
    if (message.kind === 'hello') {
      this.collect(worker);
      return;
    }
    if (!message.error) snapshot.apply(message, this.families, Date.now());
    const pending = this.pending.get(worker.id);
    if (pending && message.request !== undefined && message.request >= pending.request) {
      this.pending.delete(worker.id);
      pending.resolve();
    }
  };

  private readonly onExit = (worker: Worker) => {
    this.workers.get(worker.id)?.fold();
    this.workers.delete(worker.id);
    this.pending.get(worker.id)?.resolve();
    this.pending.delete(worker.id);
  };

  constructor(options: ClusterAggregatorOptions = {}) {
    super();
    checkOptions(options, aggregatorShape, PACKAGE, 'cluster');
    if (!cluster.isPrimary) {
      throw new PromenadeError(
        'ERR_PROMENADE_NOT_PRIMARY',
        `${PACKAGE}: the cluster aggregator runs in the primary process; workers report through their adapter or reportToClusterPrimary()`,
      );
    }
    this.own = options.registry ?? globalRegistry;
    this.timeoutMs = options.timeoutMs ?? 2000;
    cluster.on('message', this.onMessage);
    cluster.on('exit', this.onExit);
    // Workers forked before the aggregator started say hello when asked.
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (worker?.isConnected()) this.send(worker, { channel: CHANNEL, kind: 'probe' });
    }
    this.timer = setInterval(() => this.refreshAll(), options.refreshIntervalMs ?? 1000);
    this.timer.unref();
  }

  /** Stops listening to the workers and refreshing; the registry keeps what it has. */
  stop(): void {
    clearInterval(this.timer);
    cluster.off('message', this.onMessage);
    cluster.off('exit', this.onExit);
    for (const pending of this.pending.values()) pending.resolve();
    this.pending.clear();
  }

  override async getMetricsAsJSON(): Promise<never[]> {
    await this.refreshForScrape();
    const now = Date.now();
    const aggregated = aggregateFamilies(this.families.values(), this.workers.values());
    const own = (await this.own.getMetricsAsJSON()) as unknown as MetricFamily[];
    const families = mergeOwn(aggregated, own);
    families.push(...clusterFamilies([...this.workers.values()], now));
    return families as never[];
  }

  override async metrics(): Promise<string> {
    const families = (await this.getMetricsAsJSON()) as unknown as MetricFamily[];
    return (await TEXT_WRITER.write(exposeJson(families))).toString('utf8');
  }

  private send(worker: Worker, message: PrimaryMessage): void {
    try {
      worker.send(message, undefined, () => {});
    } catch {
      // The worker is going away; its exit event folds it.
    }
  }

  /** Asks the worker for its changes unless a request is still open. */
  private collect(worker: Worker): PendingCollect | undefined {
    const open = this.pending.get(worker.id);
    if (open) return open;
    if (!worker.isConnected()) return undefined;
    const request = this.nextRequest++;
    let resolve: () => void = () => {};
    const answered = new Promise<void>((settle) => {
      resolve = settle;
    });
    const pending = { request, answered, resolve };
    this.pending.set(worker.id, pending);
    this.send(worker, { channel: CHANNEL, kind: 'collect', request });
    return pending;
  }

  private refreshAll(): void {
    for (const id of this.workers.keys()) {
      const worker = cluster.workers?.[id];
      if (worker) this.collect(worker);
    }
  }

  /** Every reporting worker answers, or is served from its last snapshot after the time limit. */
  private async refreshForScrape(): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const [id, snapshot] of this.workers) {
      const worker = cluster.workers?.[id];
      const pending = worker && this.collect(worker);
      if (!pending) continue;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), this.timeoutMs);
      });
      waits.push(
        Promise.race([pending.answered.then(() => false), late]).then((timedOut) => {
          clearTimeout(timer);
          if (timedOut) snapshot.scrapeFailures += 1;
        }),
      );
    }
    await Promise.all(waits);
  }
}

/**
 * The primary's own families beside the workers': a family both have gets the primary's
 * samples added (with worker="primary" when the family is served per worker).
 */
function mergeOwn(aggregated: MetricFamily[], own: readonly MetricFamily[]): MetricFamily[] {
  const byName = new Map(aggregated.map((family) => [family.name, family]));
  for (const family of own) {
    const shared = byName.get(family.name);
    if (!shared) {
      aggregated.push(family);
      continue;
    }
    const perWorker = shared.values.some((value) => value.labels && 'worker' in value.labels);
    const values = perWorker
      ? family.values.map((value) => ({ ...value, labels: { ...value.labels, worker: 'primary' } }))
      : family.values;
    byName.set(family.name, { ...shared, values: [...shared.values, ...values] });
    aggregated[aggregated.indexOf(shared)] = byName.get(family.name)!;
  }
  return aggregated;
}

/** Starts aggregating the cluster's metrics in the primary; serve the returned registry. */
export function startClusterAggregator(options: ClusterAggregatorOptions = {}): ClusterAggregator {
  return new ClusterAggregator(options);
}
