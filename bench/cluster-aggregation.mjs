// node:cluster aggregation, Promenade against prom-client's AggregatorRegistry on the same
// workers in the same run, per traffic pattern (idle, a trickle, every series changing):
// what keeping the page current costs over one scrape interval (the workers' CPU and the
// primary's, IPC bytes), scrape time, the first exchange (bytes and time until a page has every
// series) and memory per series in a worker and in the primary against a single process.
//   node bench/cluster-aggregation.mjs [--workers=8] [--series=10000] [--interval=15] [--rounds=3] [--scrapes=5]
// (after `pnpm -r --filter "./packages/*" run build`: it imports the packages' dist/ as an
// application does).
//
// One scrape interval of each side: Promenade with its default refresh running and one scrape at
// the end; prom-client with its one scrape (it keeps nothing between scrapes). The same interval
// with neither (the traffic alone) is subtracted from both, so the figures are what aggregation
// costs. Promenade's aggregator is started afresh for its interval of every pattern, which is
// when its first exchange is measured.
import cluster from 'node:cluster';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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
const INTERVAL_MS = (args.interval ?? 15) * 1000;
const ROUNDS = args.rounds ?? 3;
const SCRAPES = args.scrapes ?? 5;
const PATTERNS = ['idle', 'trickle', 'every'];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const liveHeap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

cluster.setupPrimary({
  exec: fileURLToPath(new URL('./lib/cluster-worker.mjs', import.meta.url)),
  execArgv: ['--expose-gc'],
});
const workers = Array.from({ length: WORKERS }, () => cluster.fork({ BENCH_SERIES: String(SERIES) }));
await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('online', resolve))));
const promClient = new AggregatorRegistry();
await sleep(3000);

function ask(request, kind) {
  return Promise.all(
    workers.map(
      (worker) =>
        new Promise((resolve) => {
          const onMessage = (message) => {
            if (message?.bench !== kind) return;
            worker.off('message', onMessage);
            resolve(message);
          };
          worker.on('message', onMessage);
          worker.send(request);
        }),
    ),
  );
}

async function readings() {
  const replies = await ask({ bench: 'bytes' }, 'bytes');
  return {
    promenade: replies.reduce((sum, r) => sum + r.bytes.promenade, 0),
    promClient: replies.reduce((sum, r) => sum + r.bytes.promClient, 0),
    workersCpuMs: replies.reduce((sum, r) => sum + r.cpuMs, 0),
    primaryCpuMs: cpuMs(process.cpuUsage()),
  };
}

function cpuMs({ user, system }) {
  return (user + system) / 1000;
}

function spent(before, after, side) {
  return {
    workersCpuMs: after.workersCpuMs - before.workersCpuMs,
    primaryCpuMs: after.primaryCpuMs - before.primaryCpuMs,
    bytes: side ? after[side] - before[side] : 0,
  };
}

async function timed(scrape) {
  const started = process.hrtime.bigint();
  const page = await scrape();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, page };
}

const sampleLines = (page) => page.split('\n').filter((line) => line.startsWith('bench_requests_total{'));
const total = (page) =>
  sampleLines(page).reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);

/** One scrape interval: the traffic alone, or one side keeping its page current and scraping once. */
async function interval(side, scrape) {
  const before = await readings();
  await sleep(INTERVAL_MS);
  const answer = scrape ? await timed(scrape) : undefined;
  const after = await readings();
  return { ...spent(before, after, side), scrapeMs: answer?.ms };
}

/** A fresh aggregator: bytes and time until its page has every series of every worker. */
async function firstExchange(expected) {
  const heapBefore = liveHeap();
  const before = await readings();
  const started = process.hrtime.bigint();
  const aggregator = startClusterAggregator({ registry: new Registry(), timeoutMs: 10_000 });
  let page = await aggregator.metrics();
  while (sampleLines(page).length < SERIES || total(page) < expected()) {
    await sleep(10);
    page = await aggregator.metrics();
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  // What the primary keeps, not the page one scrape made.
  page = '';
  const after = await readings();
  const heapPerLine = (liveHeap() - heapBefore) / SERIES;
  return { aggregator, ms, bytes: after.promenade - before.promenade, heapPerLine };
}

const figures = Object.fromEntries(
  PATTERNS.map((pattern) => [
    pattern,
    { baseline: [], promenade: [], promClient: [], first: [], scrapes: { promenade: [], promClient: [] } },
  ]),
);
let memory;
for (let round = 0; round < ROUNDS; round++) {
  for (const pattern of PATTERNS) {
    const f = figures[pattern];
    for (const worker of workers) worker.send({ bench: 'traffic', pattern });
    await sleep(1000);
    f.baseline.push(await interval());
    f.promClient.push(await interval('promClient', () => promClient.clusterMetrics()));
    // The least prom-client's page can show once the aggregator starts: a total only grows.
    const floor = total(await promClient.clusterMetrics());
    const first = await firstExchange(() => floor);
    f.first.push(first);
    await sleep(2000);
    f.promenade.push(await interval('promenade', () => first.aggregator.metrics()));
    for (let i = 0; i < SCRAPES; i++) {
      f.scrapes.promenade.push((await timed(() => first.aggregator.metrics())).ms);
      f.scrapes.promClient.push((await timed(() => promClient.clusterMetrics())).ms);
    }
    if (pattern === 'idle' && !memory) {
      const heaps = await ask({ bench: 'heap' }, 'heap');
      memory = {
        single: median(heaps.map((h) => h.single)) / SERIES,
        worker: median(heaps.map((h) => h.reporting)) / SERIES,
        primaryPerLine: first.heapPerLine,
      };
      // With the traffic stopped, both pages must say the same thing.
      const [a, b] = [total(await first.aggregator.metrics()), total(await promClient.clusterMetrics())];
      memory.sameTotal = a === b ? `yes (${a})` : `NO (${a} / ${b})`;
    }
    first.aggregator.stop();
  }
}

const load = os.loadavg();
console.log(
  `${WORKERS} workers x ${SERIES.toLocaleString('en')} series, ${INTERVAL_MS / 1000} s scrape interval, ${ROUNDS} rounds (Node ${process.version}, load average ${load[0].toFixed(1)} ${load[1].toFixed(1)} ${load[2].toFixed(1)} on ${os.cpus().length} CPUs)`,
);
console.log(
  'medians; CPU is over one scrape interval, the traffic alone subtracted; promenade includes its 1 s background refresh',
);
const cost = (runs, baseline) => {
  const workersCpuMs = median(runs.map((r, i) => r.workersCpuMs - baseline[i].workersCpuMs));
  const primaryCpuMs = median(runs.map((r, i) => r.primaryCpuMs - baseline[i].primaryCpuMs));
  const totalCpuMs = median(
    runs.map((r, i) => r.workersCpuMs - baseline[i].workersCpuMs + r.primaryCpuMs - baseline[i].primaryCpuMs),
  );
  return { workersCpuMs, primaryCpuMs, totalCpuMs, bytes: median(runs.map((r) => r.bytes)) };
};
console.log(
  'pattern  aggregation  workers CPU ms  primary CPU ms  total CPU ms  IPC per interval  scrape ms  first exchange',
);
for (const pattern of PATTERNS) {
  const f = figures[pattern];
  const p = cost(f.promenade, f.baseline);
  const c = cost(f.promClient, f.baseline);
  const ps = median(f.scrapes.promenade);
  const cs = median(f.scrapes.promClient);
  const firstMs = median(f.first.map((x) => x.ms));
  const firstBytes = median(f.first.map((x) => x.bytes));
  const row = (name, x, scrapeMs, first) =>
    console.log(
      `${pattern.padEnd(8)} ${name.padEnd(12)} ${x.workersCpuMs.toFixed(1).padStart(14)} ${x.primaryCpuMs.toFixed(1).padStart(15)} ${x.totalCpuMs.toFixed(1).padStart(13)} ${kib(x.bytes).padStart(17)} ${scrapeMs.toFixed(1).padStart(10)}  ${first}`,
    );
  row('promenade', p, ps, `${firstMs.toFixed(0)} ms, ${kib(firstBytes)}`);
  row('prom-client', c, cs, '(every scrape)');
  console.log(
    `${pattern.padEnd(8)} promenade: ${(p.totalCpuMs / c.totalCpuMs).toFixed(2)} of prom-client's CPU, ${((p.bytes / c.bytes) * 100).toFixed(1)}% of its IPC bytes, scrapes ${(cs / ps).toFixed(1)}x faster`,
  );
}
console.log(
  `memory per series: single process ${(memory.single / 1024).toFixed(3)} KB; a Promenade worker ${(memory.worker / 1024).toFixed(3)} KB (series and reporter); the primary ${(memory.primaryPerLine / 1024).toFixed(3)} KB per page line (${WORKERS} workers' series each)`,
);
console.log(
  "crash-loss bound: Promenade, what a SIGKILLed worker counted since the last refresh (1 s) for prom-client's counters and gauges and core's metrics, since the last scrape or full refresh (30 s) for prom-client's histograms, summaries and series new since then; prom-client's AggregatorRegistry keeps nothing of a dead worker (its counts leave the page)",
);
console.log(`same total of every series on both pages, idle: ${memory.sameTotal}`);
for (const worker of workers) worker.kill();
