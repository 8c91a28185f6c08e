// A worker of bench/cluster-aggregation.mjs: SERIES counter series in one registry that both
// aggregations read (Promenade's and prom-client's AggregatorRegistry), a steady trickle of
// increments, and a count of the bytes each aggregation sends over IPC (as Node serializes
// them: JSON, one line per message).
import { reportToClusterPrimary } from '@promenade/core';
import { AggregatorRegistry, Counter, Registry } from 'prom-client';

const SERIES = Number(process.env.BENCH_SERIES ?? 10_000);
const CHANGED_PER_TICK = Number(process.env.BENCH_CHANGED_PER_TICK ?? 50);

const registry = new Registry();
const requests = new Counter({
  name: 'bench_requests_total',
  help: 'Requests.',
  labelNames: ['route', 'status_code'],
  registers: [registry],
});
const statuses = ['200', '201', '204', '400', '404', '500', '503', '302', '304', '429'];
const children = [];
for (let i = 0; i < SERIES; i++) {
  const labels = {
    route: `/api/resource/${Math.floor(i / statuses.length)}`,
    status_code: statuses[i % statuses.length],
  };
  requests.inc(labels, 1 + (i % 7));
  children.push(labels);
}

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
let traffic;
process.on('message', (message) => {
  if (message?.bench === 'bytes') {
    const { user, system } = process.cpuUsage();
    send({ bench: 'bytes', bytes, cpuMs: (user + system) / 1000 });
  }
  if (message?.bench === 'pause') clearInterval(traffic);
});

// Traffic between scrapes: a few series change, as on a server between two scrapes.
let next = 0;
traffic = setInterval(() => {
  for (let i = 0; i < CHANGED_PER_TICK; i++) {
    requests.inc(children[next], 1);
    next = (next + 7919) % SERIES;
  }
}, 20);
