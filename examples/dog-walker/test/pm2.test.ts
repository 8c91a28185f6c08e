import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, credentials } from './support/demo.js';

const run = promisify(execFile);
const PM2_BIN = createRequire(import.meta.url).resolve('pm2/bin/pm2');
const ECOSYSTEM = fileURLToPath(new URL('../ecosystem.config.cjs', import.meta.url));
const MAIN = fileURLToPath(new URL('./support/main-from-sources.mjs', import.meta.url));
const LOADER = fileURLToPath(new URL('../../../test/support/typescript-loader.mjs', import.meta.url));

let home: string;
let env: NodeJS.ProcessEnv;
let appUrl: string;
let metricsUrl: string;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function pm2(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [PM2_BIN, ...args], { env, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

async function scrape(): Promise<string> {
  const response = await fetch(metricsUrl, { headers: { authorization: basicAuth } });
  if (!response.ok) throw new Error(`the metrics process answered ${response.status}`);
  return response.text();
}

function sampleOf(page: string, series: string): number | undefined {
  const line = page.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function until(condition: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// The demo's own ecosystem file, with the sources in place of dist/ and a database, ports and a
// socket of the test's; one PM2 daemon, in a PM2_HOME of its own, for the file.
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'dogwalker-pm2-'));
  const [appPort, metricsPort] = [await freePort(), await freePort()];
  env = {
    ...process.env,
    PM2_HOME: home,
    PM2_NO_INTERACTION: 'true',
    PORT: String(appPort),
    METRICS_PORT: String(metricsPort),
    DOGWALKER_METRICS_SOCKET: join(home, 'metrics.sock'),
    DOGWALKER_INSTANCES: '2',
    DATABASE_URL: `file:${join(home, 'walks.db')}`,
    PROMENADE_METRICS_USERNAME: credentials.username,
    PROMENADE_METRICS_PASSWORD: credentials.password,
  };
  delete env.PROMENADE_METRICS_TOKEN;
  const fromSources = join(home, 'ecosystem.config.cjs');
  await writeFile(
    fromSources,
    `const demo = require(${JSON.stringify(ECOSYSTEM)});
module.exports = {
  apps: demo.apps.map((app) => ({
    ...app,
    script: ${JSON.stringify(MAIN)},
    node_args: ['--import', ${JSON.stringify(LOADER)}, '--conditions=@promenade/source'],
  })),
};
`,
  );
  appUrl = `http://127.0.0.1:${appPort}`;
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  await pm2('start', fromSources);
  try {
    await until(async () => sampleOf(await scrape(), 'promenade_cluster_workers') === 2, 60_000);
  } catch (error) {
    // What the apps said, to see why.
    console.log(await pm2('logs', '--nostream', '--lines', '30').catch(String));
    throw error;
  }
}, 90_000);

afterAll(async () => {
  if (env) await pm2('kill').catch(() => {});
  if (home) await rm(home, { recursive: true, force: true });
});

describe('the dog walker under PM2 (ecosystem.config.cjs)', () => {
  it('serves both instances aggregated, report threads included, and no counter goes down when one is killed', async () => {
    const reports = await Promise.all(
      Array.from({ length: 4 }, () => fetch(`${appUrl}/api/reports/distance`).then((r) => r.status)),
    );
    expect(reports).toEqual([200, 200, 200, 200]);
    // The metrics process's simulator reaches the instances (it started before they listened).
    await until(async () => (sampleOf(await scrape(), 'dogwalker_walks_started_total') ?? 0) > 0, 30_000);
    const before = await scrape();
    // The simulator's reports count too: at least the test's own four.
    expect(sampleOf(before, 'dogwalker_reports_computed_total')).toBeGreaterThanOrEqual(4);
    const requests =
      'http_request_duration_seconds_count{method="GET",route="/api/reports/distance",status_code="200"}';
    expect(sampleOf(before, requests)).toBeGreaterThanOrEqual(4);

    const list = JSON.parse(await pm2('jlist')) as { name: string; pid: number; pm_id: number }[];
    const instance = list.find((app) => app.name === 'dog-walker')!;
    process.kill(instance.pid, 'SIGKILL');
    const served: number[] = [];
    await until(async () => {
      const page = await scrape();
      served.push(sampleOf(page, requests) ?? 0);
      const now = (JSON.parse(await pm2('jlist')) as typeof list).find((app) => app.pm_id === instance.pm_id);
      return (
        now !== undefined && now.pid !== instance.pid && sampleOf(page, 'promenade_cluster_workers') === 2
      );
    }, 30_000);
    await fetch(`${appUrl}/api/reports/distance`);
    served.push(sampleOf(await scrape(), requests)!);
    for (let i = 1; i < served.length; i++) expect(served[i]!).toBeGreaterThanOrEqual(served[i - 1]!);
    expect(served[0]).toBeGreaterThanOrEqual(sampleOf(before, requests)!);
  }, 90_000);
});
