import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createMetricFactories,
  createMetricsEndpoint,
  createPushgatewayClient,
  startClusterAggregator,
} from '@promenade/core';
import { createHttpInstrumentation, SeriesCounter } from '@promenade/core/adapter';
import { scrape } from '@promenade/core/testing';
import { Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
import { describe, expect, it } from 'vitest';

/**
 * Whole exposition pages compared byte for byte with pages committed under golden/, so a
 * change to how anything is written shows as a diff. PROMENADE_WRITE_GOLDEN=1 writes them anew
 * (and the diff is then reviewed like code).
 */
function golden(name: string, page: string): void {
  const path = new URL(`golden/${name}`, import.meta.url);
  if (process.env.PROMENADE_WRITE_GOLDEN === '1') writeFileSync(path, page);
  expect(page).toBe(readFileSync(path, 'utf8'));
}

const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

/** Every kind of family core serves, with values and label text meant to trip a writer. */
function richRegistry(defaultLabels?: Record<string, string>): Registry {
  const registry = new Registry();
  if (defaultLabels) registry.setDefaultLabels(defaultLabels);
  const { recorder } = createHttpInstrumentation(
    { registry, defaultMetrics: false, maxLabelSets: 4 },
    { packageName: 'test' },
  );
  const requests = [
    ['GET', '/dogs/:id', 200, 0.003, 0, 512],
    ['GET', '/dogs/:id', 200, 0.25, 0, 2048],
    ['POST', '/walks', 201, 1.5, 300, 20],
    ['PROPFIND', '<unmatched>', 404, 0.0001, 0, 9],
    ['GET', '/a "quoted" \\ route\nwith newline/ünïcødé', 500, 12, Number.NaN, 0],
    ['HEAD', '/overflow/1', 200, 0.1, 0, 100],
    ['DELETE', '/overflow/2', 499, 30, 0, 0],
  ] as const;
  for (const [method, route, status, seconds, requestBytes, responseBytes] of requests) {
    recorder.startFrameworkTimedRequest();
    recorder.finishFrameworkTimedRequest(method, route, status, seconds, requestBytes, responseBytes);
  }
  recorder.startFrameworkTimedRequest(); // one request still in flight
  recorder.recordException('GET', '/dogs/:id', new RangeError('x'));
  recorder.recordException('POST', '/walks', 'not an error');

  const jobs = new Counter({
    name: 'prom_jobs_total',
    help: 'Jobs "done" \\ so far,\nby queue.',
    labelNames: ['queue', 'result'],
    registers: [registry],
  });
  jobs.inc({ queue: 'quote " backslash \\ newline \n end', result: 'ok' }, 0.1);
  jobs.inc({ queue: 'quote " backslash \\ newline \n end', result: 'ok' }, 0.2);
  jobs.inc({ queue: 'plain', result: 'failed' }, 3);
  new Counter({ name: 'prom_unlabelled_total', help: 'No labels.', registers: [registry] });
  const temperatures = new Gauge({
    name: 'prom_values',
    help: 'Values Prometheus spells its own way.',
    labelNames: ['v'],
    registers: [registry],
  });
  for (const [label, value] of [
    ['nan', Number.NaN],
    ['inf', Number.POSITIVE_INFINITY],
    ['-inf', Number.NEGATIVE_INFINITY],
    ['negative', -2.5],
    ['big', 1e21],
    ['small', 1e-7],
    ['zero', -0],
  ] as const) {
    temperatures.set({ v: label }, value);
  }
  const latency = new Histogram({
    name: 'prom_latency_seconds',
    help: 'Latency.',
    labelNames: ['path'],
    buckets: [0.1, 1, 2.5, 10],
    registers: [registry],
  });
  for (const value of [0.05, 0.5, 3, 100]) latency.observe({ path: '/x' }, value);
  latency.observe({ path: 'q"\\' }, 1);
  const sizes = new Summary({
    name: 'prom_size_bytes',
    help: 'Sizes.',
    labelNames: ['kind'],
    percentiles: [0.01, 0.5, 0.9, 1],
    registers: [registry],
  });
  for (const value of [1, 2, 3, 4, 5]) sizes.observe({ kind: 'a' }, value);
  registry.registerMetric({
    name: 'custom_untyped',
    help: 'A collector of its own.',
    type: 'untyped',
    aggregator: 'sum',
    get: async () => ({
      name: 'custom_untyped',
      help: 'A collector of its own.',
      type: 'untyped',
      aggregator: 'sum',
      values: [{ value: 7, labels: { source: 'x' } }],
    }),
    reset() {},
  } as never);

  const metrics = createMetricFactories(registry);
  metrics
    .counter({ name: 'dogwalker_walks_total', help: 'Walks.', labelNames: ['city'] })
    .inc({ city: 'Lyon' });
  metrics.gauge({
    name: 'dogwalker_dogs_waiting',
    help: 'Dogs waiting.',
    collect() {
      this.set(3);
    },
  });
  metrics
    .histogram({ name: 'dogwalker_walk_seconds', help: 'Walk length.', buckets: [60, 600] })
    .observe(300);
  metrics.summary({ name: 'dogwalker_walk_km', help: 'Distance.', percentiles: [0.5, 0.9] }).observe(2.5);
  const unlabelled = new SeriesCounter({
    name: 'core_unlabelled_total',
    help: 'Core, no labels.',
    labelNames: [],
    registry,
  });
  unlabelled.series([]).inc(2);
  return registry;
}

describe('exposition pages, byte for byte', () => {
  it.each(['text', 'openmetrics'] as const)('a rich registry in %s', async (format) => {
    golden(`rich.${format}.txt`, await scrape(richRegistry(), format));
  });

  it.each(['text', 'openmetrics'] as const)('a registry with default labels in %s', async (format) => {
    golden(`default-labels.${format}.txt`, await scrape(richRegistry({ service: 'dog "walker"' }), format));
  });

  it('the endpoint serves the same pages, negotiated', async () => {
    const endpoint = createMetricsEndpoint({ registry: richRegistry(), auth: undefined, onError: () => {} });
    const text = await endpoint.respond({ method: 'GET', headers: {} });
    golden('rich.text.txt', text.body.toString('utf8'));
    const openMetrics = await endpoint.respond({ method: 'GET', headers: { accept: PROMETHEUS_ACCEPT } });
    golden('rich.openmetrics.txt', openMetrics.body.toString('utf8'));
  });

  it('the cluster primary serves its page in both formats', async () => {
    const aggregator = startClusterAggregator({ registry: richRegistry() });
    try {
      golden('cluster.text.txt', await aggregator.metrics());
      const endpoint = createMetricsEndpoint({ registry: aggregator, auth: undefined, onError: () => {} });
      const openMetrics = await endpoint.respond({ method: 'GET', headers: { accept: PROMETHEUS_ACCEPT } });
      golden('cluster.openmetrics.txt', openMetrics.body.toString('utf8'));
    } finally {
      aggregator.stop();
    }
  });

  it('the Pushgateway client sends the text page', async () => {
    let body = '';
    const server = createServer((req, res) => {
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', () => res.writeHead(200).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const client = createPushgatewayClient({ url: `http://127.0.0.1:${port}`, gzip: false });
      await client.push({ job: 'golden', registry: richRegistry() });
      golden('rich.text.txt', body);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
