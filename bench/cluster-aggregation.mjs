// node:cluster aggregation, Promenade against prom-client's AggregatorRegistry on the same
// workers in the same run: scrape time, the primary's CPU per scrape and the IPC bytes per scrape.
//   node bench/cluster-aggregation.mjs [--workers=8] [--series=10000] [--scrapes=15]
// (after `pnpm -r --filter "./packages/*" run build`: it imports the packages' dist/ as an
// application does). Each worker holds `series` counter series that both aggregations read, and
// changes a few hundred of them between scrapes, as a live server does.
import cluster from 'node:cluster';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { startClusterAggregator } from '@promenade/core';
import { AggregatorRegistry, Registry } from 'prom-client';

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=');
    return [key, Number(value)];
  }),
);
const WORKERS = args.workers ?? 8;
const SERIES = args.series ?? 10_000;
const SCRAPES = args.scrapes ?? 15;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

cluster.setupPrimary({ exec: fileURLToPath(new URL('./lib/cluster-worker.mjs', import.meta.url)) });
const workers = Array.from({ length: WORKERS }, () => cluster.fork({ BENCH_SERIES: String(SERIES) }));
await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('online', resolve))));

// Promenade refreshes in the background every second by default; here only scrapes ask, so
// both sides are measured on the same work. The background cost is reported apart below.
const promenade = startClusterAggregator({
  registry: new Registry(),
  refreshIntervalMs: 3_600_000,
  timeoutMs: 10_000,
});
const promClient = new AggregatorRegistry();
await sleep(3000); // workers start and say hello

async function bytesSoFar() {
  const replies = await Promise.all(
    workers.map(
      (worker) =>
        new Promise((resolve) => {
          const onMessage = (message) => {
            if (message?.bench !== 'bytes') return;
            worker.off('message', onMessage);
            resolve({ ...message.bytes, cpuMs: message.cpuMs });
          };
          worker.on('message', onMessage);
          worker.send({ bench: 'bytes' });
        }),
    ),
  );
  return replies.reduce(
    (sum, b) => ({
      promenade: sum.promenade + b.promenade,
      promClient: sum.promClient + b.promClient,
      cpuMs: sum.cpuMs + b.cpuMs,
    }),
    { promenade: 0, promClient: 0, cpuMs: 0 },
  );
}

async function measure(scrape) {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const page = await scrape();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, page };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

// The first Promenade scrape carries every series' name once.
let before = await bytesSoFar();
const first = await measure(() => promenade.metrics());
let after = await bytesSoFar();
const firstBytes = after.promenade - before.promenade;

const results = { promenade: [], promClient: [] };
for (let round = 0; round < SCRAPES; round++) {
  for (const [name, scrape] of [
    ['promenade', () => promenade.metrics()],
    ['promClient', () => promClient.clusterMetrics()],
  ]) {
    await sleep(200);
    before = await bytesSoFar();
    const { ms, cpuMs, page } = await measure(scrape);
    after = await bytesSoFar();
    if (!page.includes('bench_requests_total{')) throw new Error(`${name} gave a page without the series`);
    results[name].push({
      ms,
      cpuMs,
      workersCpuMs: after.cpuMs - before.cpuMs,
      bytes: after[name] - before[name],
    });
  }
}

// What the default one-second refresh costs in the background, per second, under the same traffic.
promenade.stop();
const background = startClusterAggregator({ registry: new Registry() });
await sleep(2500);
before = await bytesSoFar();
const cpuBefore = process.cpuUsage();
await sleep(5000);
const cpuBackground = process.cpuUsage(cpuBefore);
after = await bytesSoFar();

// With the traffic stopped, both pages must say the same thing.
for (const worker of workers) worker.send({ bench: 'pause' });
await sleep(500);
const total = (page) =>
  page
    .split('\n')
    .filter((line) => line.startsWith('bench_requests_total{'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
const [promenadeTotal, promClientTotal] = [
  total(await background.metrics()),
  total(await promClient.clusterMetrics()),
];

const rows = Object.entries(results).map(([name, runs]) => ({
  name,
  scrapeMs: median(runs.map((r) => r.ms)),
  cpuMs: median(runs.map((r) => r.cpuMs)),
  workersCpuMs: median(runs.map((r) => r.workersCpuMs)),
  bytes: median(runs.map((r) => r.bytes)),
}));
const [p, c] = rows;
console.log(
  `${WORKERS} workers x ${SERIES.toLocaleString('en')} series, median of ${SCRAPES} scrapes each (Node ${process.version})`,
);
console.log('aggregation   scrape ms   primary CPU ms   workers CPU ms   IPC bytes per scrape');
for (const row of rows) {
  console.log(
    `${row.name.padEnd(12)} ${row.scrapeMs.toFixed(1).padStart(10)} ${row.cpuMs.toFixed(1).padStart(16)} ${row.workersCpuMs.toFixed(1).padStart(16)}   ${kib(row.bytes)}`,
  );
}
const allCpu = (row) => row.cpuMs + row.workersCpuMs;
console.log(
  `Promenade: ${(c.scrapeMs / p.scrapeMs).toFixed(1)}x faster per scrape, ${(c.cpuMs / p.cpuMs).toFixed(1)}x less primary CPU, ${(allCpu(c) / allCpu(p)).toFixed(1)}x less CPU in all processes, ${((p.bytes / c.bytes) * 100).toFixed(1)}% of the IPC bytes`,
);
console.log(
  `(the workers' CPU is counted between two readings around the scrape and includes their traffic timers; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs)`,
);
console.log(
  `Promenade's first scrape (every series named once): ${first.ms.toFixed(1)} ms, ${kib(firstBytes)}`,
);
console.log(
  `Promenade's default 1 s background refresh: ${kib((after.promenade - before.promenade) / 5)} and ${(
    (cpuBackground.user + cpuBackground.system) / 5000
  ).toFixed(1)} ms of primary CPU per second`,
);
console.log(
  `same total of every series on both pages: ${promenadeTotal === promClientTotal ? 'yes' : 'NO'} (${promenadeTotal} / ${promClientTotal})`,
);
background.stop();
for (const worker of workers) worker.kill();
