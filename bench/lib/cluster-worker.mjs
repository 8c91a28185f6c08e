// A worker of bench/cluster-aggregation.mjs: SERIES counter series in one registry that both
// aggregations read (Promenade's and prom-client's AggregatorRegistry), traffic set by the
// primary (idle, a trickle, or every series changing), a count of the bytes each aggregation
// sends over IPC (as Node serializes them: JSON, one line per message) and the heap the series
// and the reporter hold. Run with --expose-gc so that heap readings are of live objects only.
import { reportToClusterPrimary } from '@promenade/core';
import { AggregatorRegistry, Counter, Registry } from 'prom-client';

const SERIES = Number(process.env.BENCH_SERIES ?? 10_000);
const TICK_MS = 20;
// Increments per tick: a trickle touches about 1,500 series in 15 s; `every` touches each series
// once a second.
const PER_TICK = { idle: 0, trickle: 2, every: Math.ceil(SERIES / (1000 / TICK_MS)) };

function liveHeap() {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

const statuses = ['200', '201', '204', '400', '404', '500', '503', '302', '304', '429'];
// The application's own label objects, which it holds whatever records them.
const children = Array.from({ length: SERIES }, (_, i) => ({
  route: `/api/resource/${Math.floor(i / statuses.length)}`,
  status_code: statuses[i % statuses.length],
}));
const empty = liveHeap();
const registry = new Registry();
const requests = new Counter({
  name: 'bench_requests_total',
  help: 'Requests.',
  labelNames: ['route', 'status_code'],
  registers: [registry],
});
for (let i = 0; i < SERIES; i++) requests.inc(children[i], 1 + (i % 7));
// What a single process holds for its series: prom-client's entries, nothing of the cluster's.
const withSeries = liveHeap();

reportToClusterPrimary(registry);
new AggregatorRegistry();
AggregatorRegistry.setRegistries([registry]);

const bytes = { promenade: 0, promClient: 0 };
const send = process.send.bind(process);
process.send = (message, ...rest) => {
  const size = Buffer.byteLength(JSON.stringify(message)) + 1;
  if (message?.channel === 'promenade.cluster') bytes.promenade += size;
  if (message?.type === 'prom-client:getMetricsRes') bytes.promClient += size;
  return send(message, ...rest);
};

let perTick = 0;
let next = 0;
setInterval(() => {
  for (let i = 0; i < perTick; i++) {
    requests.inc(children[next], 1);
    next = (next + 7919) % SERIES;
  }
}, TICK_MS);

process.on('message', (message) => {
  if (message?.bench === 'bytes') {
    const { user, system } = process.cpuUsage();
    send({ bench: 'bytes', bytes, cpuMs: (user + system) / 1000 });
  }
  if (message?.bench === 'traffic') perTick = PER_TICK[message.pattern];
  if (message?.bench === 'heap') {
    send({ bench: 'heap', single: withSeries - empty, reporting: liveHeap() - empty });
  }
});
