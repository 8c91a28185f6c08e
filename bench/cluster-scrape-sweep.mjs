// node:cluster scrape time against the page's size: the same workers at several series counts,
// the primary's scrape time per page line at each, to show that it stays about constant as the
// page grows (a scrape that grew faster than its page would show here).
//   node bench/cluster-scrape-sweep.mjs [--workers=4] [--series=1000,10000,40000] [--scrapes=9]
// (after `pnpm -r --filter "./packages/*" run build`: it imports the packages' dist/ as an
// application does). Traffic is idle: what is timed is the scrape, not the refresh.
import cluster from 'node:cluster';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { startClusterAggregator } from '@promenade/core';
import { Registry } from 'prom-client';

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=');
    return [key, value];
  }),
);
const WORKERS = Number(args.workers ?? 4);
const COUNTS = (args.series ?? '1000,10000,40000').split(',').map(Number);
const SCRAPES = Number(args.scrapes ?? 9);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const sampleLines = (page) => page.split('\n').filter((line) => line.startsWith('bench_requests_total{'));

cluster.setupPrimary({
  exec: fileURLToPath(new URL('./lib/cluster-worker.mjs', import.meta.url)),
  execArgv: ['--expose-gc'],
});

/** Workers with `series` series each, an aggregator with their full page, and its scrape times. */
async function measure(series) {
  const workers = Array.from({ length: WORKERS }, () => cluster.fork({ BENCH_SERIES: String(series) }));
  await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('online', resolve))));
  await sleep(2000);
  const aggregator = startClusterAggregator({ registry: new Registry(), timeoutMs: 30_000 });
  while (sampleLines(await aggregator.metrics()).length < series) await sleep(50);
  const times = [];
  let bytes = 0;
  for (let i = 0; i < SCRAPES; i++) {
    const started = process.hrtime.bigint();
    const page = await aggregator.metrics();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    bytes = page.length;
  }
  aggregator.stop();
  await Promise.all(
    workers.map((worker) => {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.kill();
      return exited;
    }),
  );
  return { series, ms: median(times), bytes };
}

const rows = [];
for (const series of COUNTS) rows.push(await measure(series));
const load = os.loadavg();
console.log(
  `${WORKERS} workers, ${SCRAPES} scrapes each, idle (Node ${process.version}, load average ${load[0].toFixed(1)} ${load[1].toFixed(1)} ${load[2].toFixed(1)} on ${os.cpus().length} CPUs)`,
);
console.log('page lines  page KiB  scrape ms (median)  us per line');
for (const { series, ms, bytes } of rows) {
  console.log(
    `${series.toLocaleString('en').padStart(10)} ${(bytes / 1024).toFixed(0).padStart(9)} ${ms.toFixed(1).padStart(19)} ${((ms * 1000) / series).toFixed(2).padStart(12)}`,
  );
}
