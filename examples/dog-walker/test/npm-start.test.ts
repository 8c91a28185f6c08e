import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesInGroup } from './support/processes.js';

/**
 * `npm start` as a newcomer runs it: in a fresh clone of this repository (its committed HEAD) in a
 * temporary folder, with only Node and npm needed. pnpm's package store is the machine's, as it
 * would be on a second checkout; everything else (node_modules, the build, the Prisma clients, the
 * database) starts from nothing.
 */
const repo = execFileSync('git', ['rev-parse', '--show-toplevel'], {
  cwd: dirname(fileURLToPath(import.meta.url)),
  encoding: 'utf8',
}).trim();

let clone: string;
const started: ChildProcess[] = [];

interface Run {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the output once `pattern` appears in it. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /**
   * Ctrl-C as a terminal sends it: SIGINT to the whole process group. Resolves once the app said it
   * stopped and every process of the group is gone (npm itself ends by the signal, as it does).
   */
  interrupt(): Promise<void>;
}

function npmStart(args: string[]): Run {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('PROMENADE_METRICS_') || key.startsWith('npm_') || key === 'DATABASE_URL')
      delete env[key];
  }
  delete env.NODE_ENV;
  const child = spawn('npm', ['start', '--', ...args], { cwd: clone, env, detached: true, stdio: 'pipe' });
  started.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  return {
    child,
    output: () => output,
    async waitFor(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = output.match(pattern);
        if (match) return match;
        if (child.exitCode !== null || Date.now() > deadline) {
          throw new Error(`npm start never printed ${pattern}; it printed:\n${output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async interrupt() {
      process.kill(-child.pid!, 'SIGINT');
      await this.waitFor(/Stopped\.\n/, 10_000);
      const deadline = Date.now() + 10_000;
      while (processesInGroup(child.pid!).length > 0) {
        if (Date.now() > deadline)
          throw new Error(`still running: ${processesInGroup(child.pid!).join(', ')}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}

async function scrapeValue(url: string, auth: string, name: string): Promise<number> {
  const response = await fetch(url, { headers: { authorization: auth } });
  const line = (await response.text()).split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : Number.NaN;
}

beforeAll(() => {
  clone = mkdtempSync(join(tmpdir(), 'dogwalker-fresh-clone-'));
  execFileSync('git', ['clone', '--quiet', repo, clone]);
});

afterAll(() => {
  // Only if a test failed half-way: nothing of ours may outlive the suite.
  for (const child of started) {
    if (processesInGroup(child.pid!).length > 0) process.kill(-child.pid!, 'SIGKILL');
  }
  rmSync(clone, { recursive: true, force: true });
});

describe('npm start on a fresh clone', () => {
  let walkIds: number[] = [];

  it('installs, builds, migrates and serves the demo with moving numbers, and stops clean on Ctrl-C', async () => {
    const begun = Date.now();
    const run = npmStart(['--port', '0', '--rate', '20']);
    const [, pageUrl] = await run.waitFor(/Page: +(http:\/\/127\.0\.0\.1:\d+\/)\n/, 240_000);
    const [, metricsUrl] = await run.waitFor(/Metrics: +(\S+)\n/, 1000);
    const [, user] = await run.waitFor(/User: +(\S+)\n/, 1000);
    const [, password] = await run.waitFor(/Password: +(\S+) /, 1000);
    const [, curlLine] = await run.waitFor(/Try: +(curl .*)\n/, 1000);
    const bannerSeconds = (Date.now() - begun) / 1000;
    expect(run.output()).toContain('migrations applied: 20260101000000_init');
    // One line per step, and none of the installer's or the compiler's output to read past.
    expect(run.output()).toMatch(
      /^Installing the demo's dependencies \(the first run only: about a minute\)\.\.\. done in \d+\.\ds$/m,
    );
    expect(run.output()).toMatch(/^Building the demo\.\.\. done in \d+\.\ds$/m);
    expect(run.output()).not.toMatch(/gyp|Progress: resolved|tsdown|prisma/i);
    expect(metricsUrl).toBe(`${pageUrl}metrics`);
    expect(user).toBe('prometheus');

    const page = await fetch(pageUrl!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Dog walker');
    expect((await fetch(metricsUrl!)).status).toBe(401);
    const auth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    expect((await fetch(metricsUrl!, { headers: { authorization: auth } })).status).toBe(200);

    // The simulator moves the counters: the first walk starts within seconds.
    let startedWalks = 0;
    while (startedWalks === 0) {
      expect(Date.now() - begun).toBeLessThan(bannerSeconds * 1000 + 20_000);
      startedWalks = await scrapeValue(metricsUrl!, auth, 'dogwalker_walks_started_total');
      if (startedWalks === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const movingSeconds = (Date.now() - begun) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await scrapeValue(metricsUrl!, auth, 'http_requests_in_flight')).toBeGreaterThanOrEqual(0);
    expect(await scrapeValue(metricsUrl!, auth, 'dogwalker_walks_started_total')).toBeGreaterThan(
      startedWalks,
    );

    // The curl line works as printed.
    const curl = spawnSync('sh', ['-c', curlLine!], { encoding: 'utf8' });
    expect(curl.status).toBe(0);
    expect(curl.stdout).toContain('# TYPE dogwalker_walks_started_total counter');

    walkIds = ((await (await fetch(`${pageUrl}api/walks`)).json()) as { id: number }[]).map((w) => w.id);
    expect(walkIds.length).toBeGreaterThan(0);

    await run.interrupt();
    expect(run.output()).toContain('SIGINT: stopping the simulator and the server...');
    console.log(
      `npm start on a fresh clone: banner after ${bannerSeconds.toFixed(1)}s, first walk counted after ${movingSeconds.toFixed(1)}s`,
    );
  }, 300_000);

  it('starts again in seconds, without installing or building, and keeps the data', async () => {
    const begun = Date.now();
    const run = npmStart(['--port', '0', '--no-simulator', '--framework', 'fastify']);
    const [, pageUrl] = await run.waitFor(/Page: +(http:\/\/127\.0\.0\.1:\d+\/)\n/, 30_000);
    const seconds = (Date.now() - begun) / 1000;
    expect(run.output()).not.toContain('Installing');
    expect(run.output()).not.toContain('Building');
    expect(run.output()).not.toContain('migrations applied');
    expect(run.output()).toContain('Dog walker on fastify');
    const walks = (await (await fetch(`${pageUrl}api/walks`)).json()) as { id: number }[];
    expect(walks.map((w) => w.id)).toEqual(expect.arrayContaining(walkIds.slice(-20)));
    await run.interrupt();
    expect(seconds).toBeLessThan(15);
    console.log(`npm start, second run: banner after ${seconds.toFixed(1)}s`);
  }, 60_000);

  it('runs the app on --workers with the same flags as the app, and stops clean on Ctrl-C', async () => {
    const run = npmStart(['--workers', '2', '--port', '0', '--metrics-port', '0', '--no-simulator']);
    await run.waitFor(/Kill one: +kill -9 \d+/, 30_000);
    expect(run.output()).toMatch(/Dog walker on express, 2 workers \(node:cluster\)/);
    const [, metricsUrl] = await run.waitFor(/Metrics \(all\): +(\S+)/, 1000);
    const [, user] = await run.waitFor(/User: +(\S+)\n/, 1000);
    const [, password] = await run.waitFor(/Password: +(\S+) /, 1000);
    const auth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    expect((await fetch(metricsUrl!, { headers: { authorization: auth } })).status).toBe(200);
    expect(run.output()).not.toContain('Installing');
    await run.interrupt();
  }, 60_000);

  it('refuses a bad value with the message and the one usage text of the app', async () => {
    const run = npmStart(['--rate', '0']);
    const code = await new Promise((resolve) => run.child.once('exit', resolve));
    expect(code).toBe(2);
    expect(run.output()).toContain(
      'dog-walker: --rate must be a number above 0 and at most 200 (received "0")\n\nUsage: npm start -- [options]',
    );
  }, 60_000);

  it('runs the report job with npm run report, which prints the report and says it did not push', async () => {
    const env = { ...process.env };
    for (const key of Object.keys(env)) {
      if (key.startsWith('PROMENADE_') || key.startsWith('npm_') || key === 'DATABASE_URL') delete env[key];
    }
    const report = spawnSync('npm', ['run', 'report', '--', '--hours', '48'], {
      cwd: clone,
      env,
      encoding: 'utf8',
    });
    expect(report.stderr).not.toMatch(/^\s+at /m);
    expect(report.status).toBe(0);
    expect(report.stdout).toMatch(/^Walks completed in the last 48 h, per walker:\n {2}\S.* walks .* km$/m);
    expect(report.stdout).toContain('Not pushed: PROMENADE_PUSHGATEWAY_URL is not set.');
  }, 60_000);
});
