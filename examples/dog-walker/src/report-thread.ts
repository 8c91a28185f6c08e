// The report thread's entry (its own file in dist/, started by thread-reports.ts): the distance
// report's rows are shaped here, off the event loop, as a CPU-bound report would be. It counts
// its work in the thread's own registry, which the app's page includes through Promenade's thread
// aggregation.
import { parentPort } from 'node:worker_threads';
import { createMetricFactories, reportToMainThread } from '@promenade/core';
import { Registry } from 'prom-client';
import type { DistanceRow, ReportJob } from './thread-reports.js';

const registry = new Registry();
const { counter } = createMetricFactories(registry);
const reportsComputed = counter({
  name: 'dogwalker_reports_computed_total',
  help: 'Distance reports computed in the report thread.',
});
const walkersReported = counter({
  name: 'dogwalker_report_walkers_total',
  help: 'Walker rows the report thread has computed.',
});
reportToMainThread(registry);

parentPort!.on('message', ({ id, groups }: ReportJob) => {
  const rows: DistanceRow[] = groups.map((group) => ({
    walkerId: group.walkerId,
    walks: group._count._all,
    distanceMeters: group._sum.distanceMeters ?? 0,
  }));
  reportsComputed.inc();
  walkersReported.inc(rows.length);
  parentPort!.postMessage({ id, rows });
});
