// The native-histogram half of deploy/: the demo started with --native-histograms --exemplars,
// scraped with prometheus.yml's dogwalker job by a Prometheus started as prometheus.yml says
// (--enable-feature=native-histograms,exemplar-storage), its rule files loaded. Every rule and
// dashboard query written for native histograms must return series, and the latency panel's
// exemplars must carry the trace ids of the requests. The classic half is end-to-end.test.ts.
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, makeDataDir } from '../../../../test/support/stack/process.js';
import { type PromQueryable, type ScrapeConfig, startPrometheus } from '../../../../test/support/stack.js';
import { dashboardJson, NATIVE_ROW } from '../grafana/dashboard.js';
import { dashboardQueries, resolveVariables } from './support/dashboard-queries.js';
import { type DemoProcess, ensureDemoBuilt, startDemo } from './support/demo.js';
import { renderScrapeConfigs, ruleFilePaths } from './support/render.js';
import { loadedRules, unhealthy } from './support/rule-health.js';
import { ruleInputs } from './support/rule-inputs.js';
import { readsNativeHistograms, ruleGroups } from './support/rule-objects.js';
import { completeWalks, startWalks } from './support/walk-script.js';

const USER = 'prometheus';
const PASSWORD = randomBytes(12).toString('hex');
const RATE_WINDOW = '1m';

/** One traced request per route (so no two share a latency series), each in a trace of its own. */
const TRACED = ['/api/walkers', '/api/dogs', '/api/walks'].map((path, index) => ({
  path,
  route: path,
  traceId: `${randomBytes(15).toString('hex')}${String(index + 1).padStart(2, '0')}`,
}));

/** W3C `traceparent` of a sampled span of the trace `traceId`, as a traced caller sends it. */
const traceparent = (traceId: string) => `00-${traceId}-${randomBytes(8).toString('hex')}-01`;

interface ExemplarSeries {
  seriesLabels: Record<string, string>;
  exemplars: Array<{ labels: Record<string, string> }>;
}

describe('the demo with --native-histograms --exemplars, read by a Prometheus that reads them', () => {
  let dir: string;
  let demo: DemoProcess | undefined;
  let prometheus: PromQueryable | undefined;
  let start: number;

  /**
   * The series an instant query returns, float or histogram samples alike (the stack's `query`
   * reads float samples only, and a rate of native histograms is a histogram).
   */
  async function query(promql: string): Promise<Array<{ metric: Record<string, string> }>> {
    const response = await fetch(`${prometheus!.url}/api/v1/query?${new URLSearchParams({ query: promql })}`);
    const answer = (await response.json()) as { status: string; error?: string; data?: { result: [] } };
    if (answer.status !== 'success') throw new Error(`${promql}: ${answer.error}`);
    return answer.data!.result;
  }

  /** Repeats `promql` until it returns series or `limitMs` passes; the last answer either way. */
  async function eventuallySeries(promql: string, limitMs = 10_000) {
    const deadline = Date.now() + limitMs;
    for (;;) {
      const series = await query(promql);
      if (series.length > 0 || Date.now() > deadline) return series;
      await sleep(500);
    }
  }

  async function queryExemplars(promql: string, limitMs = 15_000): Promise<ExemplarSeries[]> {
    const deadline = Date.now() + limitMs;
    for (;;) {
      const params = new URLSearchParams({
        query: promql,
        start: String(start),
        end: String(Date.now() / 1000 + 60),
      });
      const response = await fetch(`${prometheus!.url}/api/v1/query_exemplars?${params}`);
      const { data } = (await response.json()) as { data: ExemplarSeries[] };
      const found = new Set(data.flatMap((series) => series.exemplars.map((e) => e.labels.trace_id)));
      if (TRACED.every(({ traceId }) => found.has(traceId)) || Date.now() > deadline) return data;
      await sleep(500);
    }
  }

  beforeAll(async () => {
    start = Date.now() / 1000 - 60;
    await ensureDemoBuilt();
    dir = makeDataDir('dogwalker-native');
    const passwordFile = join(dir, 'metrics.password');
    writeFileSync(passwordFile, PASSWORD);
    const port = await freePort();
    const app = `http://127.0.0.1:${port}`;
    // One process: its own /metrics on the app's port, no simulator (the test's requests are all
    // there is, so no other request takes the traced ones' place on their buckets).
    demo = await startDemo({
      name: 'native',
      args: [
        ...['--framework', 'express', '--host', '127.0.0.1', '--port', String(port), '--no-simulator'],
        ...['--native-histograms', '--exemplars'],
      ],
      env: {
        NODE_ENV: 'production',
        PROMENADE_METRICS_USERNAME: USER,
        PROMENADE_METRICS_PASSWORD: PASSWORD,
        DATABASE_URL: `file:${join(dir, 'native.db')}`,
      },
      readyUrl: `${app}/readyz`,
    });
    const host = new URL(app).host;
    const jobs = renderScrapeConfigs({
      targets: { dogwalker: host, 'dogwalker-nginx': host, 'dogwalker-consumer': host, pushgateway: host },
      passwordFile,
    }).filter((job) => job.job_name === 'dogwalker') as ScrapeConfig[];
    prometheus = await startPrometheus({
      scrapeConfigs: jobs,
      ruleFiles: ruleFilePaths(),
      enableFeatures: ['native-histograms', 'exemplar-storage'],
    });
    // Bodies in and out, refusals, and completed walks for the distance histogram.
    const walks = await startWalks(app);
    await completeWalks(app, walks);
    for (const { path, traceId } of TRACED) {
      const response = await fetch(`${app}${path}`, { headers: { traceparent: traceparent(traceId) } });
      expect(response.status, path).toBe(200);
      await response.arrayBuffer();
    }
  }, 180_000);

  afterAll(async () => {
    await prometheus?.stop();
    await demo?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('every native recording rule and what every native alert compares return series; every rule is healthy', async () => {
    const groups = ruleGroups().filter(readsNativeHistograms);
    const rules = groups.flatMap(
      (group) => group.rules as Array<{ alert?: string; record?: string; expr: string }>,
    );
    expect(rules.length).toBeGreaterThanOrEqual(5);
    const empty: string[] = [];
    for (const rule of rules) {
      // An alert's first input is what it compares; after `unless` comes the classic rule it
      // yields to, which this Prometheus (2.42, reading native histograms) leaves empty.
      const inputs = rule.record ? [rule.expr] : ruleInputs(rule.expr).slice(0, 1);
      for (const input of inputs) {
        if ((await eventuallySeries(input)).length === 0) empty.push(rule.alert ?? rule.record!);
      }
    }
    expect(empty).toEqual([]);
    // Why the native group exists: 2.42 keeps no classic buckets of a histogram with native ones.
    expect(await query('job_method_route:http_request_duration_seconds:p99_5m')).toEqual([]);
    expect(await query('http_request_duration_seconds_bucket')).toEqual([]);
    expect(unhealthy(await loadedRules(prometheus!.url))).toEqual([]);
  }, 120_000);

  it('every query of the native row of the dashboard returns series', async () => {
    const queries = dashboardQueries(JSON.parse(dashboardJson())).filter(({ row }) => row === NATIVE_ROW);
    expect(queries.length).toBeGreaterThanOrEqual(8);
    const empty: string[] = [];
    for (const { panel, expr } of queries) {
      const promql = resolveVariables(expr, { job: 'dogwalker', rateInterval: RATE_WINDOW });
      if ((await eventuallySeries(promql)).length === 0) empty.push(`${panel}: ${promql}`);
    }
    expect(empty).toEqual([]);
  }, 120_000);

  it("the latency panel's exemplars carry the trace id of each traced request, on its route", async () => {
    const [latency] = dashboardQueries(JSON.parse(dashboardJson())).filter(
      ({ row, exemplar }) => row === NATIVE_ROW && exemplar,
    );
    const promql = resolveVariables(latency!.expr, { job: 'dogwalker', rateInterval: RATE_WINDOW });
    const series = await queryExemplars(promql);
    const byTrace = new Map(
      series.flatMap(({ seriesLabels, exemplars }) =>
        exemplars.map((exemplar) => [exemplar.labels.trace_id, seriesLabels] as const),
      ),
    );
    for (const { traceId, route } of TRACED) {
      expect(byTrace.get(traceId), traceId).toMatchObject({
        __name__: 'http_request_duration_seconds',
        job: 'dogwalker',
        method: 'GET',
        route,
        status_code: '200',
      });
    }
    // The script's requests came with no trace: the demo's tracer started one for each.
    const own = [...byTrace.entries()].filter(([traceId]) => !TRACED.some((t) => t.traceId === traceId));
    expect(own.length).toBeGreaterThan(0);
    for (const [traceId] of own) expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  }, 60_000);
});
