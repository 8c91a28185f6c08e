import type { MetricFamily } from '../exposition/exposed-family.js';
import type { WorkerSnapshot } from './worker-snapshot.js';

/** The names agreed for the cluster's own metrics, served by the primary. */
export const CLUSTER_METRIC_NAMES = Object.freeze({
  workers: 'promenade_cluster_workers',
  dataAge: 'promenade_cluster_worker_data_age_seconds',
  scrapeFailures: 'promenade_cluster_worker_scrape_failures_total',
});

/** What the primary knows about its workers; a dead worker's series go with it. */
export function clusterFamilies(workers: readonly WorkerSnapshot[], now: number): MetricFamily[] {
  const reporting = workers.filter((worker) => worker.updatedAt > 0);
  return [
    {
      name: CLUSTER_METRIC_NAMES.workers,
      help: 'Live workers that report metrics to the primary.',
      type: 'gauge',
      values: [{ value: reporting.length, labels: {} }],
    },
    {
      name: CLUSTER_METRIC_NAMES.dataAge,
      help: "Age of the worker's metrics the primary serves (above the refresh interval: the worker did not answer).",
      type: 'gauge',
      values: reporting.map((worker) => ({
        value: Math.max(0, (now - worker.updatedAt) / 1000),
        labels: { worker: worker.worker },
      })),
    },
    {
      name: CLUSTER_METRIC_NAMES.scrapeFailures,
      help: 'Scrapes that served the worker from its last snapshot because it did not answer in time.',
      type: 'counter',
      values: reporting.map((worker) => ({
        value: worker.scrapeFailures,
        labels: { worker: worker.worker },
      })),
    },
  ];
}
