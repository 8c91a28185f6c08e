// Scrape time and bytes of one page in protobuf against text and OpenMetrics, on the same
// registry in the same run.
//   node bench/protobuf-scrape.mjs [--routes=250] [--counters=10000] [--scrapes=31]
// (after `pnpm -r --filter "./packages/*" run build`: it imports the packages' dist/ as an
// application does). Two pages of about 10,000 series each: an Express app's HTTP histograms
// (`routes` routes, 41 series each: core's series families) and a business counter with
// `counters` label sets (a prom-client metric, handed over as flat samples).
import { createMetricFactories, createMetricsEndpoint } from '@promenade/core';
import { metricsMiddleware } from '@promenade/express';
import express from 'express';
import { Registry } from 'prom-client';

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=');
    return [key, Number(value)];
  }),
);
const ROUTES = args.routes ?? 250;
const COUNTERS = args.counters ?? 10_000;
const SCRAPES = args.scrapes ?? 31;

const FORMATS = {
  text: 'text/plain;version=0.0.4',
  openmetrics: 'application/openmetrics-text;version=1.0.0',
  protobuf: 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
};

async function httpRegistry() {
  const registry = new Registry();
  const app = express();
  app.use(metricsMiddleware({ registry, defaultMetrics: false, auth: false }));
  for (let i = 0; i < ROUTES; i++) app.get(`/route${i}/:id`, (_req, res) => res.send('ok'));
  const server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const base = `http://127.0.0.1:${server.address().port}`;
  for (let i = 0; i < ROUTES; i++) await (await fetch(`${base}/route${i}/1`)).text();
  await new Promise((resolve) => server.close(resolve));
  return registry;
}

function counterRegistry() {
  const registry = new Registry();
  const orders = createMetricFactories(registry).counter({
    name: 'shop_orders_total',
    help: 'Orders.',
    labelNames: ['customer'],
  });
  for (let i = 0; i < COUNTERS; i++) orders.inc({ customer: `c${i}` }, i);
  return registry;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(registry) {
  const endpoint = createMetricsEndpoint({
    registry,
    auth: undefined,
    onError: (error) => console.error(error),
  });
  const rows = {};
  for (const [format, accept] of Object.entries(FORMATS)) {
    const scrape = (encoding) =>
      endpoint.respond({ method: 'GET', headers: { accept, 'accept-encoding': encoding } });
    for (let i = 0; i < 5; i++) await scrape('identity'); // warm-up (and protobuf's first load)
    const times = [];
    const cpuTimes = [];
    let page;
    for (let i = 0; i < SCRAPES; i++) {
      const cpu = process.cpuUsage();
      const started = process.hrtime.bigint();
      page = await scrape('identity');
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      const used = process.cpuUsage(cpu);
      cpuTimes.push((used.user + used.system) / 1000);
    }
    const gzipped = await scrape('gzip');
    rows[format] = {
      ms: median(times),
      cpuMs: median(cpuTimes),
      bytes: page.body.length,
      gzipBytes: gzipped.body.length,
    };
  }
  return rows;
}

const series = (page) => page.split('\n').filter((line) => line && !line.startsWith('#')).length;
for (const [name, registry] of [
  [`HTTP histograms, ${ROUTES} routes`, await httpRegistry()],
  [`one counter, ${COUNTERS} label sets`, counterRegistry()],
]) {
  const endpoint = createMetricsEndpoint({ registry, auth: undefined, onError: () => {} });
  const text = (await endpoint.respond({ method: 'GET', headers: {} })).body.toString();
  const rows = await measure(registry);
  console.log(`\n${name}: ${series(text)} series; median of ${SCRAPES} scrapes`);
  console.log('| format | scrape (ms) | CPU (ms) | bytes | gzip bytes |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [format, row] of Object.entries(rows)) {
    const times = `${row.ms.toFixed(2)} | ${row.cpuMs.toFixed(2)}`;
    console.log(`| ${format} | ${times} | ${row.bytes} | ${row.gzipBytes} |`);
  }
}
