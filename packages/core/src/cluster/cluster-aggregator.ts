import cluster, { type Worker } from 'node:cluster';
import type { Registry } from 'prom-client';
import { PromenadeError } from '../errors.js';
import { httpOptionShape } from '../options/http-options.js';
import { checkOptions, isPositiveInteger, type OptionShape } from '../options/option-rules.js';
import { AggregatingRegistry } from './aggregating-registry.js';
import { CHANNEL, isMessage, type PrimaryMessage, type WorkerMessage } from './protocol.js';
import type { ReporterLink } from './reporter-link.js';

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
   * crashed worker can take with it. Default: 1000 ms. Each refresh reads only the values a
   * worker holds live (core's metrics, prom-client's counters and gauges) and sends only those
   * that changed.
   */
  refreshIntervalMs?: number;
  /**
   * How long the primary goes without a full collection (which also finds series created since
   * the last one and prom-client's histograms and summaries) before a refresh makes one; every
   * scrape makes one. Default: 30000 ms.
   */
  fullRefreshIntervalMs?: number;
}

export const aggregatorShape: OptionShape = {
  registry: httpOptionShape.registry!,
  timeoutMs: isPositiveInteger,
  refreshIntervalMs: isPositiveInteger,
  fullRefreshIntervalMs: isPositiveInteger,
};

/** A node:cluster worker as a reporter: its IPC channel carries the messages. */
function workerLink(worker: Worker): ReporterLink {
  return {
    name: String(worker.id),
    isConnected: () => worker.isConnected(),
    send(message: PrimaryMessage) {
      try {
        worker.send(message, undefined, () => {});
      } catch {
        // The worker is going away; its exit event folds it.
      }
    },
  };
}

/**
 * The primary's registry of the whole cluster. Reading it (a scrape, `metrics()`,
 * `getMetricsAsJSON()`) asks every reporting worker for its changes, waits at most `timeoutMs`,
 * and serves the combination of every worker's last snapshot. Counters never go backwards: a
 * worker that dies or resets leaves its counts in a retained total.
 */
export class ClusterAggregator extends AggregatingRegistry {
  private readonly links = new Map<number, ReporterLink>();

  private readonly onMessage = (worker: Worker, message: unknown) => {
    if (!isMessage<WorkerMessage>(message)) return;
    let link = this.links.get(worker.id);
    if (!link) {
      link = workerLink(worker);
      this.links.set(worker.id, link);
    }
    this.received(link, message);
  };

  private readonly onExit = (worker: Worker) => {
    const link = this.links.get(worker.id);
    if (!link) return;
    this.links.delete(worker.id);
    this.gone(link);
  };

  constructor(options: ClusterAggregatorOptions = {}) {
    checkOptions(options, aggregatorShape, PACKAGE, 'cluster');
    if (!cluster.isPrimary) {
      throw new PromenadeError(
        'ERR_PROMENADE_NOT_PRIMARY',
        `${PACKAGE}: the cluster aggregator runs in the primary process; workers report through their adapter or reportToClusterPrimary()`,
      );
    }
    super(options);
    cluster.on('message', this.onMessage);
    cluster.on('exit', this.onExit);
    // Workers forked before the aggregator started say hello when asked.
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (worker?.isConnected()) workerLink(worker).send({ channel: CHANNEL, kind: 'probe' });
    }
  }

  /** Stops listening to the workers and refreshing; the registry keeps what it has. */
  override stop(): void {
    super.stop();
    cluster.off('message', this.onMessage);
    cluster.off('exit', this.onExit);
  }
}

/** Starts aggregating the cluster's metrics in the primary; serve the returned registry. */
export function startClusterAggregator(options: ClusterAggregatorOptions = {}): ClusterAggregator {
  return new ClusterAggregator(options);
}
