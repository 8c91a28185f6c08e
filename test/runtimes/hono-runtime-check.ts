// Run by Bun or Deno (test/runtimes/hono-runtimes.test.ts starts it): the conformance traffic
// against the Hono app served by the runtime's own server, and what of core works there. It
// prints one line, `RESULT <json>`, that the test on Node compares with Express.
import cluster from 'node:cluster';
import http from 'node:http';
import { counter, reportToClusterPrimary, startMetricsServer } from '@promenade/core';
import { scrape } from '@promenade/core/testing';
import { metricsMiddleware } from '@promenade/hono';
import { Registry, register } from 'prom-client';
import { createHonoConformanceApp } from '../conformance/hono-app.js';
import { SlowGate } from '../conformance/slow-gate.js';
import type { Stack } from '../conformance/stacks.js';
import { runTraffic } from '../conformance/traffic.js';

type Fetch = (request: Request) => Response | Promise<Response>;

interface Served {
  port: number;
  close(): Promise<void>;
}

declare const Bun:
  | {
      serve(options: { port: number; hostname: string; fetch: Fetch }): {
        port: number;
        stop(force: boolean): Promise<void>;
      };
    }
  | undefined;
declare const Deno:
  | {
      serve(
        options: { port: number; hostname: string; onListen(): void },
        handler: Fetch,
      ): { addr: { port: number }; shutdown(): Promise<void> };
    }
  | undefined;

const runtime = typeof Bun !== 'undefined' ? 'bun' : typeof Deno !== 'undefined' ? 'deno' : 'node';

/** The runtime's own HTTP server: Bun.serve or Deno.serve, never node:http. */
function serveOnRuntime(fetch: Fetch): Served {
  if (typeof Bun !== 'undefined') {
    const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch });
    return { port: server.port, close: () => server.stop(true) };
  }
  if (typeof Deno !== 'undefined') {
    const server = Deno.serve({ port: 0, hostname: '127.0.0.1', onListen() {} }, fetch);
    return { port: server.addr.port, close: () => server.shutdown() };
  }
  throw new Error('run this file with bun or deno');
}

async function conformance() {
  // Deno's node:http client sends a request it destroyed again on a kept-alive connection: one
  // connection per request, as the traffic means it.
  http.globalAgent = new http.Agent({ keepAlive: false });
  const registry = new Registry();
  const gate = new SlowGate();
  const app = createHonoConformanceApp(registry, gate);
  const served = serveOnRuntime(app.fetch);
  const stack: Stack = {
    baseUrl: `http://127.0.0.1:${served.port}`,
    registry,
    gate,
    close: () => served.close(),
  };
  const exchanges = await runTraffic(stack);
  const exposition = await scrape(registry);
  gate.releaseAll();
  await stack.close();
  return { exchanges, exposition };
}

/**
 * Express on Bun (its node:http): the conformance Express stack, as it runs on Node. Deno cannot
 * load the conformance stacks' module (the Nest stacks' parameter decorators), and is not tried.
 */
async function expressOnBun() {
  if (runtime !== 'bun') return undefined;
  const { STACKS } = await import('../conformance/stacks.js');
  const stack = await STACKS.express!();
  try {
    const exchanges = await runTraffic(stack);
    return { exchanges, exposition: await scrape(stack.registry) };
  } finally {
    await stack.close();
  }
}

/** Business metrics, and the separate metrics port (a node:http server, as the runtime emulates it). */
async function core() {
  const registry = new Registry();
  const middleware = metricsMiddleware({ registry, defaultMetrics: false });
  middleware.metrics
    .counter({ name: 'walks_total', help: 'Walks', labelNames: ['size'] })
    .inc({ size: 'small' });
  counter({ name: 'treats_total', help: 'Treats', registry }).inc(3);
  const server = await startMetricsServer({ port: 0, registry, auth: { token: 'secret' } });
  const denied = await fetch(server.url);
  const scraped = await fetch(server.url, { headers: { authorization: 'Bearer secret' } });
  const page = await scraped.text();
  await server.stop();
  return {
    deniedStatus: denied.status,
    scrapeStatus: scraped.status,
    businessLines: page.split('\n').filter((line) => /^(walks|treats)_total/.test(line)),
  };
}

/** prom-client's default process metrics: which families the runtime gives values for. */
async function processMetrics() {
  const registry = new Registry();
  metricsMiddleware({ registry });
  const families = (await registry.getMetricsAsJSON()) as unknown as { name: string; values: unknown[] }[];
  return families
    .filter((family) => !family.name.startsWith('http_') && family.values.length > 0)
    .map((family) => family.name)
    .sort();
}

/**
 * node:cluster on the runtime: two forked workers (this file again, see the end) count into the
 * global registry and report to the primary, whose metrics server serves their sum.
 */
async function clusterAggregation() {
  const server = await startMetricsServer({ port: 0, cluster: true, auth: false });
  const workers = [cluster.fork(), cluster.fork()];
  try {
    await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('message', resolve))));
    const page = await (await fetch(server.url)).text();
    return page
      .split('\n')
      .filter((line) => /^(runtime_check_jobs_total|promenade_cluster_workers) /.test(line));
  } finally {
    for (const worker of workers) worker.kill();
    await server.stop();
  }
}

async function main() {
  const result = {
    runtime,
    ...(await conformance()),
    express: await expressOnBun(),
    core: await core(),
    processMetrics: await processMetrics(),
    cluster: await clusterAggregation(),
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
  process.exit(0);
}

if (cluster.isPrimary) await main();
else {
  counter({ name: 'runtime_check_jobs_total', help: 'Jobs.' }).inc(2);
  reportToClusterPrimary(register);
  process.send?.('ready');
  // Kept alive until the primary kills it.
  setInterval(() => {}, 60_000);
}
