// The deployment files proven against their real consumers: the demo behind nginx, scraped by
// Prometheus (directly and through nginx, with the alert and recording rules loaded) and by
// VictoriaMetrics, its batch job pushing to the Pushgateway; the exposition read by promtool and by
// the official Python parsers. Everything runs on loopback ports of its own and is stopped at the
// end, also when a step fails.
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, makeDataDir, requireBinary, run } from '../../../../test/support/stack/process.js';
import {
  type PostgresHandle,
  type PromQueryable,
  type PromSample,
  type PushgatewayHandle,
  parseWithPython,
  promtoolCheckMetrics,
  type ScrapeConfig,
  type StackDaemon,
  startNginx,
  startPostgres,
  startPrometheus,
  startPushgateway,
  startRedis,
  startVictoriaMetrics,
} from '../../../../test/support/stack.js';
import { dashboardJson, NATIVE_ROW } from '../grafana/dashboard.js';
import { dashboardQueries, resolveVariables } from './support/dashboard-queries.js';
import {
  type DemoProcess,
  ensureDemoBuilt,
  runBatchJob,
  startConsumerProcess,
  startDemo,
} from './support/demo.js';
import { renderNginxConfig, renderScrapeConfigs, ruleFilePaths } from './support/render.js';
import { loadedRules, unhealthy } from './support/rule-health.js';
import { ruleInputs } from './support/rule-inputs.js';
import { readsNativeHistograms, ruleGroups } from './support/rule-objects.js';
import { completeWalks, expected, startWalks } from './support/walk-script.js';

const USER = 'prometheus';
const PASSWORD = randomBytes(12).toString('hex');
const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;
const GOOD_AUTH = basic(`${USER}:${PASSWORD}`);

/** Findings of `promtool check metrics` on the demo's page that are accepted, each with its reason. */
const ACCEPTED_FINDINGS: Record<string, string> = {
  'nodejs_active_handles_total non-counter metrics should not have "_total" suffix':
    "prom-client's default metric: a gauge named ..._total by prom-client, not by Promenade",
  'nodejs_active_requests_total non-counter metrics should not have "_total" suffix':
    "prom-client's default metric: a gauge named ..._total by prom-client, not by Promenade",
  'nodejs_active_resources_total non-counter metrics should not have "_total" suffix':
    "prom-client's default metric: a gauge named ..._total by prom-client, not by Promenade",
  'db_client_connection_count non-histogram and non-summary metrics should not have "_count" suffix':
    '@promenade/db\'s pool gauge: OpenTelemetry\'s db.client.connection.count as its Prometheus exporter names it (packages/db/README.md, "Why these names")',
};

const hostOf = (url: string) => new URL(url).host;

/**
 * The demo's jobs are scraped every 3 s with a 3 s limit: the cluster primary waits up to 2 s for a
 * busy worker before it serves that worker's last numbers, and a scrape cut short at 1 s would
 * count as a failure (and leave gauges stale) on a loaded machine.
 */
const SLOW_SCRAPES = { scrape_interval: '3s', scrape_timeout: '3s' };
const withSlowScrapes = (jobs: ScrapeConfig[]) =>
  jobs.map((job) => (job.job_name === 'pushgateway' ? job : { ...job, ...SLOW_SCRAPES }));

/** The batch job's name: the `job` label its pushes carry. */
const BATCH_JOB_NAME = 'dogwalker_nightly_report';

/**
 * Alert inputs the demo cannot make return series, each with why. The suite asserts that exactly
 * these return nothing, so one that starts returning series must be taken off this list.
 */
const NOT_YET: Record<string, string> = {};

/**
 * The demo's command line for one instance: Express on loopback, two node:cluster workers on
 * `port` and the primary's aggregated /metrics on `metricsPort`, and the simulator for the busy one.
 */
function demoArgs(port: number, metricsPort: number, { simulator }: { simulator: boolean }): string[] {
  return [
    '--framework',
    'express',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--workers',
    '2',
    '--metrics-port',
    String(metricsPort),
    ...(simulator ? ['--simulator', '--rate', '40'] : ['--no-simulator']),
  ];
}

/** Polls `probe` until it returns true (limit in ms); the last error explains a time-out. */
async function eventually(what: string, probe: () => Promise<boolean>, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      if (await probe()) return;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(250);
  }
  throw new Error(`${what}: not reached within ${limitMs} ms ${last}`);
}

/** Whether the newest sample of `selector` comes from a scrape that began after `time` (seconds). */
async function scrapedAfter(
  query: (promql: string) => Promise<PromSample[]>,
  selector: string,
  time: number,
): Promise<boolean> {
  const [newest] = await query(`timestamp(${selector})`);
  return newest !== undefined && newest.value > time;
}

/**
 * Bucket bounds as numbers: Prometheus keeps `le` as scraped, "50.0" from OpenMetrics (which it
 * asks for first) and "50" from the text format.
 */
const bucketsOf = (samples: PromSample[]) =>
  Object.fromEntries(
    samples.map((s) => [s.metric.le === '+Inf' ? '+Inf' : String(Number(s.metric.le)), s.value]),
  );

const byLabels = (samples: PromSample[], ...labels: string[]) =>
  Object.fromEntries(samples.map((s) => [labels.map((label) => s.metric[label] ?? '').join(' '), s.value]));

describe('the dog walker deployed with the files of deploy/', () => {
  const started: Array<{ stop(): Promise<void> }> = [];
  let dir: string;
  let scriptedUrls: { app: string; metrics: string };
  let busyUrls: { app: string; metrics: string };
  let nginx: StackDaemon;
  let gateway: PushgatewayHandle;
  let prometheus: PromQueryable;
  let victoria: PromQueryable;
  let busy: DemoProcess;
  let postgres: PostgresHandle;
  let walkIds: number[];
  let scriptEnd: number;

  /** Starts what `start` returns and keeps it for afterAll, whichever of several fails. */
  async function all<T extends { stop(): Promise<void> }[]>(starts: { [K in keyof T]: Promise<T[K]> }) {
    const results = await Promise.allSettled(starts);
    for (const result of results) if (result.status === 'fulfilled') started.push(result.value);
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as T;
  }

  beforeAll(async () => {
    await ensureDemoBuilt();
    dir = makeDataDir('dogwalker-e2e');
    const passwordFile = join(dir, 'metrics.password');
    writeFileSync(passwordFile, PASSWORD);
    const [scriptedPort, scriptedMetricsPort, busyPort, busyMetricsPort, consumerMetricsPort] =
      (await Promise.all([1, 2, 3, 4, 5].map(() => freePort()))) as [number, number, number, number, number];
    // The busy demo caches in Redis and publishes its walk events there, for the consumer.
    const [redis] = await all([startRedis()]);
    scriptedUrls = {
      app: `http://127.0.0.1:${scriptedPort}`,
      metrics: `http://127.0.0.1:${scriptedMetricsPort}`,
    };
    busyUrls = { app: `http://127.0.0.1:${busyPort}`, metrics: `http://127.0.0.1:${busyMetricsPort}` };
    // The scripted demo keeps its walks in SQLite, the busy one in PostgreSQL: the database row
    // of the dashboard and the database alerts read both, on one schema.
    [postgres] = await all<[PostgresHandle]>([startPostgres()]);
    await postgres.sql('DROP SCHEMA IF EXISTS dogwalker_busy CASCADE');
    const env = (name: string, databaseUrl = `file:${join(dir, `${name}.db`)}`) => ({
      NODE_ENV: 'production',
      PROMENADE_METRICS_USERNAME: USER,
      PROMENADE_METRICS_PASSWORD: PASSWORD,
      DATABASE_URL: databaseUrl,
    });
    [gateway, , busy] = await all<[PushgatewayHandle, DemoProcess, DemoProcess]>([
      startPushgateway(),
      startDemo({
        name: 'scripted',
        args: demoArgs(scriptedPort, scriptedMetricsPort, { simulator: false }),
        env: env('scripted'),
        readyUrl: `${scriptedUrls.app}/readyz`,
      }),
      startDemo({
        name: 'busy',
        args: demoArgs(busyPort, busyMetricsPort, { simulator: true }),
        env: { ...env('busy', `${postgres.url}?schema=dogwalker_busy`), REDIS_URL: redis.url },
        readyUrl: `${busyUrls.app}/readyz`,
      }),
    ]);
    await all([
      startConsumerProcess({
        metricsPort: consumerMetricsPort,
        env: {
          NODE_ENV: 'production',
          PROMENADE_METRICS_USERNAME: USER,
          PROMENADE_METRICS_PASSWORD: PASSWORD,
          REDIS_URL: redis.url,
        },
      }),
    ]);
    [nginx] = await all<[StackDaemon]>([
      startNginx({
        config: ({ port, dir: nginxDir }) =>
          renderNginxConfig({
            port,
            app: hostOf(scriptedUrls.app),
            metrics: hostOf(scriptedUrls.metrics),
            htpasswdFile: join(nginxDir, 'htpasswd'),
          }),
      }),
    ]);
    // The password file as the README makes it: bcrypt, the password on standard input.
    const htpasswd = await run(
      requireBinary('htpasswd', 'apache2-utils'),
      ['-c', '-i', '-B', join(nginx.dir, 'htpasswd'), USER],
      { input: PASSWORD },
    );
    expect(htpasswd.exitCode).toBe(0);
    const deployJobs = withSlowScrapes(
      renderScrapeConfigs({
        targets: {
          dogwalker: hostOf(scriptedUrls.metrics),
          'dogwalker-nginx': hostOf(nginx.url),
          'dogwalker-consumer': `127.0.0.1:${consumerMetricsPort}`,
          pushgateway: hostOf(gateway.url),
        },
        passwordFile,
      }) as ScrapeConfig[],
    );
    const busyJob: ScrapeConfig = {
      job_name: 'dogwalker-busy',
      ...SLOW_SCRAPES,
      basic_auth: { username: USER, password_file: passwordFile },
      static_configs: [{ targets: [hostOf(busyUrls.metrics)] }],
    };
    // A scraper with the wrong password: its target must be down, which fires PromenadeTargetDown.
    const wrongJob: ScrapeConfig = {
      job_name: 'dogwalker-wrong-password',
      ...SLOW_SCRAPES,
      basic_auth: { username: USER, password: 'not-the-password' },
      static_configs: [{ targets: [hostOf(scriptedUrls.metrics)] }],
    };
    [prometheus, victoria] = await all<[PromQueryable, PromQueryable]>([
      startPrometheus({
        scrapeConfigs: [...deployJobs, busyJob, wrongJob],
        ruleFiles: ruleFilePaths(),
        requireUp: false,
      }),
      startVictoriaMetrics({ scrapeConfigs: [deployJobs.find((job) => job.job_name === 'dogwalker')!] }),
    ]);
  }, 240_000);

  afterAll(async () => {
    // Scrapers first, so that none records the apps going away; then the rest, all at once.
    const scrapers = started.filter((daemon) => daemon === prometheus || daemon === victoria);
    await Promise.all(scrapers.map((daemon) => daemon.stop()));
    const rest = started.filter((daemon) => !scrapers.includes(daemon) && daemon !== postgres);
    await Promise.all(rest.map((daemon) => daemon.stop()));
    // PostgreSQL after the demo that uses it, so that it does not see its database go away.
    await postgres?.stop();
    // Last: the demos' databases live here until the demos have stopped.
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const query = (promql: string) => prometheus.query(promql);

  it('Prometheus scrapes the demo directly and through nginx, and the Pushgateway; VictoriaMetrics scrapes the demo', async () => {
    await eventually('targets up', async () => {
      const up = byLabels(await query('up'), 'job');
      return (
        up.dogwalker === 1 &&
        up['dogwalker-nginx'] === 1 &&
        up['dogwalker-busy'] === 1 &&
        up['dogwalker-consumer'] === 1 &&
        up.pushgateway === 1 &&
        // The refused target has a series only after its first scrape, which may come last.
        up['dogwalker-wrong-password'] === 0
      );
    });
    const up = byLabels(await query('up'), 'job');
    expect(up).toEqual({
      dogwalker: 1,
      'dogwalker-nginx': 1,
      'dogwalker-busy': 1,
      'dogwalker-consumer': 1,
      pushgateway: 1,
      'dogwalker-wrong-password': 0,
    });
    const targets = await victoria.targets();
    expect(targets.map((target) => [target.labels.job, target.health])).toEqual([['dogwalker', 'up']]);
  });

  it('a scrape with the wrong password is refused: PromenadeTargetDown fires for it, not for the deployed jobs', async () => {
    const down = byLabels(await query(alertExpr('PromenadeTargetDown')), 'job');
    expect(down['dogwalker-wrong-password']).toBe(0);
    // The simulated demo is left out: on a loaded machine one of its scrapes may time out, which is
    // what the alert is for, not what this test is about.
    for (const job of ['dogwalker', 'dogwalker-nginx', 'pushgateway']) expect(down[job], job).toBeUndefined();
    const [target] = (await prometheus.targets()).filter((t) => t.labels.job === 'dogwalker-wrong-password');
    expect(target!.lastError).toContain('401');
  });

  describe('a scripted phase, without the simulator', () => {
    beforeAll(async () => {
      // Through nginx, as a user's browser would reach the app.
      walkIds = await startWalks(nginx.url);
      // DogWalkerNoWalksCompleted's expression returns the jobs whose walks start and never end.
      const noneCompleted = ruleGroups()
        .flatMap((group) => group.rules)
        .find((rule) => rule.alert === 'DogWalkerNoWalksCompleted')!.expr as string;
      await eventually('walks started, none completed, in Prometheus', async () => {
        const found = byLabels(await query(noneCompleted), 'job');
        return found.dogwalker !== undefined && found['dogwalker-nginx'] !== undefined;
      });
      await completeWalks(nginx.url, walkIds);
      scriptEnd = Date.now() / 1000;
      for (const job of ['dogwalker', 'dogwalker-nginx']) {
        await eventually(`${job} scraped after the script`, () =>
          scrapedAfter(query, `dogwalker_walks_started_total{job="${job}"}`, scriptEnd),
        );
      }
    }, 60_000);

    it('Prometheus returns exactly the business values the script implies, directly and through nginx', async () => {
      for (const job of ['dogwalker', 'dogwalker-nginx']) {
        const one = async (promql: string) => (await query(promql)).map((s) => s.value);
        expect(await one(`dogwalker_walks_started_total{job="${job}"}`)).toEqual([expected.walksStarted]);
        expect(await one(`dogwalker_walks_completed_total{job="${job}"}`)).toEqual([expected.walksCompleted]);
        expect(await one(`dogwalker_walks_in_progress{job="${job}"}`)).toEqual([expected.walksInProgress]);
        expect(
          byLabels(await query(`dogwalker_invalid_walk_attempts_total{job="${job}"}`), 'reason'),
        ).toEqual(expected.invalidAttempts);
        expect(await one(`dogwalker_walk_distance_meters_count{job="${job}"}`)).toEqual([
          expected.distance.count,
        ]);
        expect(await one(`dogwalker_walk_distance_meters_sum{job="${job}"}`)).toEqual([
          expected.distance.sum,
        ]);
        expect(bucketsOf(await query(`dogwalker_walk_distance_meters_bucket{job="${job}"}`))).toEqual(
          expected.distance.buckets,
        );
      }
    });

    it('Prometheus computes the median walk distance from the histogram: 200 m', async () => {
      const samples = await query(
        'histogram_quantile(0.5, sum by (le) (dogwalker_walk_distance_meters_bucket{job="dogwalker"}))',
      );
      expect(samples.map((s) => s.value)).toEqual([expected.distance.median]);
    });

    it('VictoriaMetrics returns the same business values', async () => {
      await eventually('VictoriaMetrics scraped after the script', () =>
        scrapedAfter((promql) => victoria.query(promql), 'dogwalker_walks_started_total', scriptEnd),
      );
      const one = async (promql: string) => (await victoria.query(promql)).map((s) => s.value);
      expect(await one('dogwalker_walks_started_total')).toEqual([expected.walksStarted]);
      expect(await one('dogwalker_walks_in_progress')).toEqual([expected.walksInProgress]);
      expect(byLabels(await victoria.query('dogwalker_invalid_walk_attempts_total'), 'reason')).toEqual(
        expected.invalidAttempts,
      );
      expect(await one('dogwalker_walk_distance_meters_sum')).toEqual([expected.distance.sum]);
      expect(
        await one('histogram_quantile(0.5, sum by (le) (dogwalker_walk_distance_meters_bucket))'),
      ).toEqual([expected.distance.median]);
    });

    it('the HTTP latency series carry the method, the route template and the status', async () => {
      const samples = await query(
        'sum by (method, route, status_code) (http_request_duration_seconds_count{job="dogwalker", route=~"/api/.*"})',
      );
      expect(byLabels(samples, 'method', 'route', 'status_code')).toEqual(expected.requests);
      const [p99] = await query(
        'histogram_quantile(0.99, sum by (le) (http_request_duration_seconds_bucket{job="dogwalker", route="/api/walks", method="POST"}))',
      );
      expect(p99!.value).toBeGreaterThan(0);
      expect(p99!.value).toBeLessThan(10);
    });

    it('the Prisma model-operation and query series are there, with the failed insert', async () => {
      const operations = byLabels(
        await query('sum by (model, operation) (prisma_model_operations_total{job="dogwalker"})'),
        'model',
        'operation',
      );
      expect(operations).toMatchObject({ 'Walker create': 3, 'Dog create': 3, 'Walk create': 3 });
      const errors = byLabels(
        await query('prisma_model_operation_errors_total{job="dogwalker"}'),
        'model',
        'operation',
        'error',
      );
      expect(errors).toEqual({ 'Walker create P2002': 1 });
      // Prisma's statements, on @promenade/db's schema: the failed insert by SQLite's code.
      const statements = byLabels(
        await query('sum by (operation) (db_client_operation_duration_seconds_count{job="dogwalker"})'),
        'operation',
      );
      expect(statements.SELECT).toBeGreaterThan(0);
      expect(statements.INSERT).toBeGreaterThan(0);
      expect(
        byLabels(await query('db_client_operation_errors_total{job="dogwalker"}'), 'operation', 'error_type'),
      ).toEqual({ 'INSERT SQLITE_CONSTRAINT': 1 });
      const [started] = await query('sum(db_client_transactions_started_total{job="dogwalker"})');
      expect(started!.value).toBeGreaterThanOrEqual(5); // one per start attempt, refused ones included
      // The rows are counted at the driver adapter: the three walks the script created.
      const [walks] = await query('prisma_model_inserts_total{job="dogwalker", model="Walk"}');
      expect(walks!.value).toBe(3);
    });

    it('one database schema whatever the source: SQLite for one demo, PostgreSQL (with its pool) for the other', async () => {
      await eventually('the busy demo on PostgreSQL scraped', async () => {
        const systems = byLabels(
          await query(
            'sum by (job, db_system) (db_client_operation_duration_seconds_count{job=~"dogwalker|dogwalker-busy"})',
          ),
          'job',
          'db_system',
        );
        return Object.keys(systems).sort().join(',') === 'dogwalker sqlite,dogwalker-busy postgresql';
      });
      const pool = byLabels(
        await query('sum by (job, state) (db_client_connection_count{job=~"dogwalker|dogwalker-busy"})'),
        'job',
        'state',
      );
      expect(Object.keys(pool).sort()).toEqual(['dogwalker-busy idle', 'dogwalker-busy used']);
    });
  });

  it('a worker killed during traffic: Prometheus sees no counter reset', async () => {
    const resets = (metric: string) => `sum(resets(${metric}{job="dogwalker-busy"}[10m]))`;
    const total = async () =>
      (await query('sum(http_request_duration_seconds_count{job="dogwalker-busy"})'))[0]!.value;
    await eventually('busy traffic recorded', async () => (await total()) > 0);
    const workers = busy.childPids();
    expect(workers.length).toBeGreaterThanOrEqual(2);
    const before = await total();
    process.kill(workers[0]!, 'SIGKILL');
    // Traffic goes on, recorded by the workers left and any the primary starts again.
    await eventually('traffic after the kill', async () => (await total()) > before + 20, 30_000);
    await sleep(2_000);
    for (const metric of ['http_request_duration_seconds_count', 'dogwalker_walks_started_total']) {
      expect((await query(resets(metric)))[0]!.value, metric).toBe(0);
    }
  }, 90_000);

  it("the batch job's push is read back through the Pushgateway, and a failed run and a refused push show", async () => {
    const before = Date.now() / 1000;
    await runBatchJob({
      env: { PROMENADE_PUSHGATEWAY_URL: gateway.url, DATABASE_URL: `file:${join(dir, 'scripted.db')}` },
    });
    await eventually('last success in Prometheus', async () => {
      const [success] = await query('promenade_job_last_success_timestamp_seconds');
      return success !== undefined && success.value >= before - 1;
    });
    const [success] = await query('promenade_job_last_success_timestamp_seconds');
    expect(success!.metric.job).toBe(BATCH_JOB_NAME);
    expect(success!.value).toBeLessThanOrEqual(Date.now() / 1000);
    // A run that fails (its database cannot be opened) pushes its failure time instead.
    await runBatchJob({
      env: {
        PROMENADE_PUSHGATEWAY_URL: gateway.url,
        DATABASE_URL: `file:${join(dir, 'missing', 'none.db')}`,
      },
      expectFailure: true,
    });
    const failed = alertExpr('PromenadeBatchJobFailed');
    await eventually('PromenadeBatchJobFailed fires', async () => (await query(failed)).length > 0);
    expect(byLabels(await query(failed), 'job')).toEqual({ [BATCH_JOB_NAME]: expect.any(Number) });
    // A push the gateway refuses (the same series twice) is recorded against the job's group.
    const refused = await fetch(`${gateway.url}/metrics/job/${BATCH_JOB_NAME}`, {
      method: 'POST',
      body: 'promenade_job_duration_seconds 1\npromenade_job_duration_seconds 2\n',
    });
    expect(refused.status).toBe(400);
    await refused.arrayBuffer();
    const pushFailed = alertExpr('PromenadeBatchJobPushFailed');
    await eventually('PromenadeBatchJobPushFailed fires', async () => (await query(pushFailed)).length > 0);
  }, 120_000);

  describe('the exposition read by the real consumers', () => {
    const page = async (url: string, accept: string) => {
      const response = await fetch(`${url}/metrics`, { headers: { authorization: GOOD_AUTH, accept } });
      expect(response.status).toBe(200);
      return { type: response.headers.get('content-type') ?? '', text: await response.text() };
    };

    it('promtool check metrics finds nothing but the accepted findings', async () => {
      // The pool gauge is on the PostgreSQL demo's page only (SQLite has no pool).
      const onlyWithAPool = Object.keys(ACCEPTED_FINDINGS).filter((finding) =>
        finding.startsWith('db_client_'),
      );
      for (const [url, pooled] of [
        [busyUrls.metrics, true],
        [scriptedUrls.metrics, false],
      ] as const) {
        const { text } = await page(url, 'text/plain');
        const result = await promtoolCheckMetrics(text);
        const accepted = Object.keys(ACCEPTED_FINDINGS).filter(
          (finding) => pooled || !onlyWithAPool.includes(finding),
        );
        expect([...new Set(result.findings)].sort(), url).toEqual(accepted.sort());
      }
    });

    it("python3-prometheus-client's strict parsers read both negotiated formats", async () => {
      // The text format of the cluster's page, as the primary aggregates it.
      const text = await page(scriptedUrls.metrics, 'text/plain;version=0.0.4');
      expect(text.type).toContain('text/plain');
      const textFamilies = await parseWithPython(text.text, 'text');
      const started = textFamilies.find((f) => f.name.startsWith('dogwalker_walks_started'));
      expect(started?.type).toBe('counter');
      expect(started!.samples.find((s) => s.name === 'dogwalker_walks_started_total')?.value).toBe(
        expected.walksStarted,
      );
      expect(textFamilies.find((f) => f.name === 'dogwalker_walk_distance_meters')?.type).toBe('histogram');
      // OpenMetrics as the primaries aggregate it: the scripted demo's exact values, and the busy
      // demo's page, whose workers were killed and restarted under traffic (dead workers' zero
      // sums and label sets named late are where an aggregated page can break the grouping rules).
      const busy = await page(busyUrls.metrics, 'application/openmetrics-text;version=1.0.0');
      expect(busy.type).toContain('application/openmetrics-text');
      expect((await parseWithPython(busy.text, 'openmetrics')).length).toBeGreaterThan(0);
      const open = await page(scriptedUrls.metrics, 'application/openmetrics-text;version=1.0.0');
      expect(open.type).toContain('application/openmetrics-text');
      const openFamilies = await parseWithPython(open.text, 'openmetrics');
      const startedHere = openFamilies.find((f) => f.name.startsWith('dogwalker_walks_started'));
      expect(startedHere?.type).toBe('counter');
      expect(startedHere!.samples.find((s) => s.name === 'dogwalker_walks_started_total')?.value).toBe(
        expected.walksStarted,
      );
      expect(openFamilies.find((f) => f.name === 'dogwalker_walk_distance_meters')?.type).toBe('histogram');
    });
  });

  it('/metrics answers 401 without, with wrong and with malformed credentials, directly and through nginx; the rest stays reachable', async () => {
    const refusals = [
      undefined,
      basic(`${USER}:wrong`),
      basic(`someone:${PASSWORD}`),
      'Basic !!!not-base64!!!',
      basic('no-colon-at-all'),
      'Basic',
      'Bearer some-token',
    ];
    for (const base of [scriptedUrls.metrics, nginx.url]) {
      for (const authorization of refusals) {
        const response = await fetch(`${base}/metrics`, { headers: authorization ? { authorization } : {} });
        expect(response.status, `${base} ${authorization}`).toBe(401);
        expect(response.headers.get('www-authenticate'), `${base} ${authorization}`).toMatch(/^Basic realm=/);
        await response.arrayBuffer();
      }
      const ok = await fetch(`${base}/metrics`, { headers: { authorization: GOOD_AUTH } });
      expect(ok.status).toBe(200);
      await ok.arrayBuffer();
    }
    for (const url of [`${scriptedUrls.app}/healthz`, `${nginx.url}/healthz`, `${nginx.url}/api/walks`]) {
      const response = await fetch(url);
      expect(response.status, url).toBe(200);
      await response.arrayBuffer();
    }
  });

  // The native-histogram row and rules are checked by native-histograms.test.ts, against a
  // Prometheus that reads them; this one reads the classic histograms.
  it('every dashboard query returns series from the live Prometheus', async () => {
    const queries = dashboardQueries(JSON.parse(dashboardJson())).filter(({ row }) => row !== NATIVE_ROW);
    const empty = new Set<string>();
    for (const { panel, expr } of queries) {
      const promql = resolveVariables(expr, { job: 'dogwalker-busy', rateInterval: '1m' });
      if ((await query(promql)).length === 0) empty.add(panel);
    }
    const panels = new Set(queries.map(({ panel }) => panel));
    expect([...empty].sort()).toEqual(
      Object.keys(NOT_YET)
        .filter((name) => panels.has(name))
        .sort(),
    );
  });

  it('every recording rule and what every alert compares return series; Prometheus reports every rule healthy', async () => {
    const rules = ruleGroups()
      .filter((group) => !readsNativeHistograms(group))
      .flatMap((group) => group.rules as Array<{ alert?: string; record?: string; expr: string }>);
    const empty = new Set<string>();
    for (const rule of rules) {
      for (const input of rule.record ? [rule.expr] : ruleInputs(rule.expr)) {
        if ((await query(input)).length === 0) empty.add(rule.alert ?? rule.record!);
      }
    }
    const names = new Set(rules.map((rule) => rule.alert ?? rule.record));
    expect([...empty].sort()).toEqual(
      Object.keys(NOT_YET)
        .filter((name) => names.has(name))
        .sort(),
    );
    const loaded = await loadedRules(prometheus.url);
    expect(unhealthy(loaded)).toEqual([]);
    expect(loaded).toHaveLength(ruleGroups().flatMap((group) => group.rules).length);
  });
});

function alertExpr(name: string): string {
  return ruleGroups()
    .flatMap((group) => group.rules)
    .find((rule) => rule.alert === name)!.expr as string;
}
