import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleValue } from '../cluster/cluster-harness.js';
import { type Pm2Daemon, startPm2 } from './pm2-harness.js';

// The aggregator's own metrics, as core's README names them.
const WORKERS = 'promenade_cluster_workers';
const SCRAPE_FAILURES = 'promenade_cluster_worker_scrape_failures_total';
const JOBS = 'pm2_test_jobs_total{kind="walk"}';
const WORK_SECONDS = 'pm2_test_work_seconds_total';
const REQUESTS = 'http_request_duration_seconds_count{method="GET",route="/work",status_code="200"}';
const INSTANCES = 3;

// One PM2 daemon for the whole file: starting one takes seconds.
let daemon: Pm2Daemon;

beforeAll(async () => {
  daemon = await startPm2(INSTANCES);
  await until(async () => sampleValue(await scrape(), WORKERS) === INSTANCES, 60_000);
}, 90_000);

afterAll(async () => {
  await daemon?.kill();
});

// Every request has a time limit: a step that never answers fails the wait it is in, with its
// message, rather than the whole test at its timeout with none.
const REQUEST_LIMIT_MS = 10_000;

async function scrape(): Promise<string> {
  const response = await fetch(daemon.metricsUrl, { signal: AbortSignal.timeout(REQUEST_LIMIT_MS) });
  if (!response.ok) throw new Error(`the metrics process answered ${response.status}`);
  return response.text();
}

async function until(condition: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const met = await condition().catch(() => false);
    if (met) return;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Sends requests to the app until `stop()`; resolves with the pids that answered each one. */
function load(concurrency = 4) {
  let stopped = false;
  const answeredBy: string[] = [];
  const lane = async () => {
    while (!stopped) {
      try {
        const response = await fetch(`${daemon.appUrl}/work`, {
          signal: AbortSignal.timeout(REQUEST_LIMIT_MS),
        });
        const pid = await response.text();
        if (response.ok) answeredBy.push(pid);
      } catch {
        // An instance killed mid-request: nobody counted that request.
      }
    }
  };
  const lanes = Promise.all(Array.from({ length: concurrency }, lane));
  return {
    answeredBy,
    async stop() {
      stopped = true;
      await lanes;
    },
  };
}

describe('PM2 cluster mode, aggregated by a metrics process, with the real pm2', () => {
  it('sums every instance’s counters, whichever instance answered', async () => {
    const before = await scrape();
    const base = sampleValue(before, JOBS) ?? 0;
    const traffic = load();
    await until(async () => traffic.answeredBy.length >= 90, 30_000);
    await traffic.stop();
    const answered = traffic.answeredBy.length;
    // PM2 round-robins the connections: more than one instance did the work.
    expect(new Set(traffic.answeredBy).size).toBeGreaterThan(1);
    const page = await scrape();
    expect(sampleValue(page, JOBS)).toBe(base + answered);
    expect(sampleValue(page, REQUESTS)).toBe(base + answered);
    expect(sampleValue(page, WORK_SECONDS)).toBeCloseTo((base + answered) * 0.1, 9);
    expect(sampleValue(page, WORKERS)).toBe(INSTANCES);
  });

  // Five waits of up to 30 s each (PM2 restarts an instance in seconds, more on a loaded machine).
  it('never lets a counter go down while instances are killed with SIGKILL and restarted by PM2 under load', async () => {
    const served: number[] = [];
    const seconds: number[] = [];
    let scraping = true;
    const scraper = (async () => {
      while (scraping) {
        try {
          const page = await scrape();
          served.push(sampleValue(page, JOBS) ?? 0);
          seconds.push(sampleValue(page, WORK_SECONDS) ?? 0);
        } catch {
          // A scrape that got no page says nothing of the counters: on a loaded machine the
          // client can reuse a kept-alive connection just as the server closes it. Whether the
          // metrics process answers is the waits' and the last scrape's to prove.
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const traffic = load();
    await until(async () => traffic.answeredBy.length >= 50, 30_000);

    const [killed, restarted] = await daemon.instances();
    process.kill(killed!.pid, 'SIGKILL');
    // PM2 replaces the killed instance on its own.
    await until(async () => {
      const now = (await daemon.instances()).find((instance) => instance.pmId === killed!.pmId);
      return now?.status === 'online' && now.pid !== killed!.pid;
    }, 30_000);
    await daemon.pm2('restart', String(restarted!.pmId));
    await until(async () => sampleValue(await scrape(), WORKERS) === INSTANCES, 30_000);
    const mark = traffic.answeredBy.length;
    await until(async () => traffic.answeredBy.length >= mark + 50, 30_000);
    await traffic.stop();
    scraping = false;
    await scraper;

    const last = await scrape();
    served.push(sampleValue(last, JOBS)!);
    seconds.push(sampleValue(last, WORK_SECONDS)!);
    for (let i = 1; i < served.length; i++) {
      expect(served[i]!).toBeGreaterThanOrEqual(served[i - 1]!);
      expect(seconds[i]!).toBeGreaterThanOrEqual(seconds[i - 1]!);
    }
    expect(served.length).toBeGreaterThan(10);
    // The new instances report too: the last scrape counts traffic from after the restarts.
    expect(served.at(-1)).toBeGreaterThan(served[0]!);
    const pids = new Set((await daemon.instances()).map((instance) => instance.pid));
    expect(pids.has(killed!.pid) || pids.has(restarted!.pid)).toBe(false);
  }, 180_000);

  it('answers a scrape within its time limit while an instance hangs, from that instance’s last snapshot', async () => {
    const before = await scrape();
    const failuresBefore = before
      .split('\n')
      .filter((line) => line.startsWith(SCRAPE_FAILURES))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
    // One instance takes this request and blocks its event loop for 4 s.
    await (await fetch(`${daemon.appUrl}/hang?ms=4000`)).text();
    const started = Date.now();
    const page = await scrape();
    // The metrics process waits 500 ms for an instance.
    expect(Date.now() - started).toBeLessThan(2000);
    expect(sampleValue(page, JOBS)).toBeGreaterThanOrEqual(sampleValue(before, JOBS)!);
    const failures = page
      .split('\n')
      .filter((line) => line.startsWith(SCRAPE_FAILURES))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
    expect(failures).toBe(failuresBefore + 1);
  });

  it('gets every instance back, every series named again, when PM2 restarts the metrics process', async () => {
    await daemon.pm2('restart', 'metrics');
    // A restarted exporter starts from what the instances hold now: one reset, then counting on.
    await until(async () => sampleValue(await scrape(), WORKERS) === INSTANCES, 30_000);
    const page = await scrape();
    const traffic = load();
    await until(async () => traffic.answeredBy.length >= 20, 30_000);
    await traffic.stop();
    const after = await scrape();
    expect(sampleValue(page, JOBS)).toBeGreaterThan(0);
    expect(sampleValue(after, JOBS)).toBe(sampleValue(page, JOBS)! + traffic.answeredBy.length);
  });
});
