import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { startThreadAggregator, type ThreadAggregator } from '@promenade/core';
import { metricsMiddleware } from '@promenade/express';
import express from 'express';
import { Registry } from 'prom-client';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleValue } from '../cluster/cluster-harness.js';

const LOADER = fileURLToPath(new URL('../support/typescript-loader.mjs', import.meta.url));
const THREAD = new URL('./report-thread.ts', import.meta.url);
// The aggregator's own metrics, as core's README names them.
const WORKERS = 'promenade_threads';
const SCRAPE_FAILURES = 'promenade_thread_scrape_failures_total';
const JOBS = 'threads_test_jobs_total{kind="report"}';
const WORK_SECONDS = 'threads_test_work_seconds_total';

interface Thread {
  readonly worker: Worker;
  /** Every message the application's own channel carried. */
  readonly heard: unknown[];
  readonly exited: Promise<unknown>;
}

let aggregator: ThreadAggregator | undefined;
let threads: Thread[] = [];

afterEach(async () => {
  aggregator?.stop();
  aggregator = undefined;
  await Promise.all(threads.map(({ worker }) => worker.terminate()));
  threads = [];
});

async function startThread(): Promise<Thread> {
  const worker = new Worker(THREAD, { execArgv: ['--import', LOADER, '--conditions=@promenade/source'] });
  const heard: unknown[] = [];
  worker.on('message', (message) => heard.push(message));
  // A crash is the point of some tests: the error event keeps it from failing the run.
  worker.on('error', () => {});
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  const thread = { worker, heard, exited };
  threads.push(thread);
  await waitFor(() => heard.includes('ready'), 30_000);
  return thread;
}

async function work(thread: Thread, order: { count: number; seconds: number; depth: number }) {
  const before = thread.heard.length;
  thread.worker.postMessage({ do: 'work', ...order });
  await waitFor(() => thread.heard.length > before, 5000);
}

async function waitFor(condition: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('worker_threads aggregation with real threads', () => {
  it('sums the threads’ counters, aggregates gauges as declared, and leaves the application’s channel alone', async () => {
    aggregator = startThreadAggregator({ registry: new Registry(), timeoutMs: 10_000 });
    const [a, b] = await Promise.all([startThread(), startThread()]);
    await work(a!, { count: 3, seconds: 0.1, depth: 4 });
    await work(b!, { count: 5, seconds: 0.2, depth: 9 });
    const page = await aggregator.metrics();
    expect(sampleValue(page, JOBS)).toBe(8);
    expect(sampleValue(page, WORK_SECONDS)).toBe(0.30000000000000004);
    expect(sampleValue(page, 'threads_test_queue_depth')).toBe(9);
    expect(sampleValue(page, WORKERS)).toBe(2);
    // The protocol has a channel of its own: the thread's parentPort carried only the test's words.
    expect(a!.heard).toEqual(['ready', 'done']);
    expect(b!.heard).toEqual(['ready', 'done']);
  });

  it('keeps the counts of a thread that crashes or exits, including its last unrefreshed ones', async () => {
    // A refresh far away: what the page has of the ended threads came with their last message.
    aggregator = startThreadAggregator({ registry: new Registry(), refreshIntervalMs: 600_000 });
    const [a, b, c] = await Promise.all([startThread(), startThread(), startThread()]);
    await work(a!, { count: 1, seconds: 0.1, depth: 1 });
    await work(b!, { count: 2, seconds: 0.2, depth: 2 });
    await work(c!, { count: 4, seconds: 0.6, depth: 3 });
    const first = await aggregator.metrics();
    expect(sampleValue(first, JOBS)).toBe(7);
    const firstSeconds = sampleValue(first, WORK_SECONDS)!;

    await work(b!, { count: 10, seconds: 0.3, depth: 2 });
    await work(c!, { count: 20, seconds: 0.7, depth: 3 });
    b!.worker.postMessage({ do: 'crash' });
    c!.worker.postMessage({ do: 'exit' });
    await Promise.all([b!.exited, c!.exited]);
    // The aggregator folds an ended thread once its last message is in (an immediate later).
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = await aggregator.metrics();
    expect(sampleValue(after, JOBS)).toBe(37);
    expect(sampleValue(after, WORK_SECONDS)).toBeGreaterThanOrEqual(firstSeconds);
    expect(sampleValue(after, WORK_SECONDS)).toBe(0.1 + 0.2 + 0.6 + 0.3 + 0.7);
    // The ended threads' gauges go with them; the live one's stays.
    expect(sampleValue(after, 'threads_test_queue_depth')).toBe(1);
    expect(sampleValue(after, WORKERS)).toBe(1);
  });

  it('serves a hung thread from its last snapshot within the time limit, and says so', async () => {
    aggregator = startThreadAggregator({ registry: new Registry(), timeoutMs: 300 });
    const [a, b] = await Promise.all([startThread(), startThread()]);
    await work(a!, { count: 2, seconds: 0, depth: 0 });
    await work(b!, { count: 3, seconds: 0, depth: 0 });
    expect(sampleValue(await aggregator.metrics(), JOBS)).toBe(5);
    b!.worker.postMessage({ do: 'hang', ms: 3000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    const page = await aggregator.metrics();
    expect(Date.now() - started).toBeLessThan(1500);
    expect(sampleValue(page, JOBS)).toBe(5);
    expect(sampleValue(page, `${SCRAPE_FAILURES}{worker="${b!.worker.threadId}"}`)).toBe(1);
  });

  it('serves the threads beside an adapter’s own metrics when the adapter is given the aggregator', async () => {
    aggregator = startThreadAggregator({ registry: new Registry() });
    const app = express();
    app.use(metricsMiddleware({ registry: aggregator, auth: false }));
    app.get('/report', (_req, res) => res.send('ok'));
    const thread = await startThread();
    await work(thread, { count: 6, seconds: 0, depth: 0 });
    await request(app).get('/report').expect(200);
    const page = (await request(app).get('/metrics').expect(200)).text;
    expect(sampleValue(page, JOBS)).toBe(6);
    expect(
      sampleValue(
        page,
        'http_request_duration_seconds_count{method="GET",route="/report",status_code="200"}',
      ),
    ).toBe(1);
  });
});
