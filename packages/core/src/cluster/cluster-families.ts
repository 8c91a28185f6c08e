import type { MetricFamily } from '../exposition/exposed-family.js';
import type { WorkerSnapshot } from './worker-snapshot.js';

/** The names agreed for the cluster's own metrics, served by the primary. */
export const CLUSTER_METRIC_NAMES = Object.freeze({
  workers: 'promenade_cluster_workers',
  dataAge: 'promenade_cluster_worker_data_age_seconds',
  scrapeFailures: 'promenade_cluster_worker_scrape_failures_total',
});

/**
 * The same for the threads of one process (`startThreadAggregator`): names of their own, so that
 * a process that aggregates its threads and reports to a cluster primary or a PM2 metrics process
 * hands up a family that cannot collide with the primary's own.
 */
export const THREAD_METRIC_NAMES = Object.freeze({
  workers: 'promenade_threads',
  dataAge: 'promenade_thread_data_age_seconds',
  scrapeFailures: 'promenade_thread_scrape_failures_total',
});

export type ReportingFamilyNames = Readonly<Record<keyof typeof CLUSTER_METRIC_NAMES, string>>;

/** What the primary knows about its workers; a dead worker's series go with it. */
export function clusterFamilies(
  workers: readonly WorkerSnapshot[],
  now: number,
  names: ReportingFamilyNames = CLUSTER_METRIC_NAMES,
): MetricFamily[] {
  const reporting = workers.filter((worker) => worker.updatedAt > 0);
  return [
    {
      name: names.workers,
      help: 'Live workers that report metrics to the primary.',
      type: 'gauge',
      values: [{ value: reporting.length, labels: {} }],
    },
    {
      name: names.dataAge,
      help: "Age of the worker's metrics the primary serves (above the refresh interval: the worker did not answer).",
      type: 'gauge',
      values: reporting.map((worker) => ({
        value: Math.max(0, (now - worker.updatedAt) / 1000),
        labels: { worker: worker.worker },
      })),
    },
    {
      name: names.scrapeFailures,
      help: 'Scrapes that served the worker from its last snapshot because it did not answer in time.',
      type: 'counter',
      values: reporting.map((worker) => ({
        value: worker.scrapeFailures,
        labels: { worker: worker.worker },
      })),
    },
  ];
}
