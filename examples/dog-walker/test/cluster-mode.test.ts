import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { basicAuth, credentials } from './support/demo.js';
import { processesInGroup } from './support/processes.js';

const LOADER = fileURLToPath(new URL('../../../test/support/typescript-loader.mjs', import.meta.url));
const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const WORKERS_EXIT_AT_START = fileURLToPath(new URL('./support/workers-exit-at-start.cjs', import.meta.url));

/** The demo's primary with `--workers`, from its TypeScript entry, in a process group of its own. */
function startPrimary(
  args: string[],
  databaseUrl: string,
  { nodeFlags = [], madeUpCredentials = false }: { nodeFlags?: string[]; madeUpCredentials?: boolean } = {},
): ChildProcess {
  const node = [...nodeFlags, '--import', LOADER, '--conditions=@promenade/source'];
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl };
  delete env.PROMENADE_METRICS_TOKEN;
  if (madeUpCredentials) {
    delete env.PROMENADE_METRICS_USERNAME;
    delete env.PROMENADE_METRICS_PASSWORD;
  } else {
    env.PROMENADE_METRICS_USERNAME = credentials.username;
    env.PROMENADE_METRICS_PASSWORD = credentials.password;
  }
  return spawn(process.execPath, [...node, MAIN, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
}

function sampleOf(page: string, series: string): number {
  const line = page.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('the dog walker on node:cluster workers (--workers)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dogwalker-cluster-'));
  let primary: ChildProcess | undefined;

  afterAll(async () => {
    if (primary && primary.exitCode === null) {
      const exited = new Promise((resolve) => primary!.once('exit', resolve));
      primary.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves every worker aggregated from the primary, and a killed worker takes no count back', async () => {
    primary = startPrimary(
      ['--workers', '2', '--port', '0', '--metrics-port', '0'],
      `file:${join(dir, 'walks.db')}`,
    );
    let output = '';
    primary.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    await new Promise<void>((resolve, reject) => {
      primary!.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Kill one:')) resolve();
      });
      primary!.once('exit', (code) => reject(new Error(`the primary exited (${code}): ${output}`)));
    });
    expect(output).not.toContain(credentials.password);
    const appUrl = /Page:\s+(\S+)\//.exec(output)![1]!;
    const metricsUrl = /Metrics \(all\):\s+(\S+)/.exec(output)![1]!;
    const pid = Number(/kill -9 (\d+)/.exec(output)![1]);

    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${appUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as { id: number } };
    };
    const scrape = async () => {
      const response = await fetch(metricsUrl, { headers: { authorization: basicAuth } });
      expect(response.status).toBe(200);
      return sampleOf(await response.text(), 'dogwalker_walks_started_total');
    };
    expect((await fetch(metricsUrl)).status).toBe(401);

    const walker = (await post('/api/walkers', { name: 'Ana', email: 'ana@example.com' })).body;
    let started = 0;
    const walkOnce = async () => {
      const dog = (await post('/api/dogs', { name: `Rex${started}`, age: 3, size: 'md' })).body;
      const walk = await post('/api/walks', { dogId: dog.id, walkerId: walker.id });
      if (walk.status === 201) started += 1;
    };
    // The primary serves a worker that is slow to answer from its last snapshot, so on a busy
    // machine a scrape may lag: wait until it shows every walk answered so far.
    const caughtUp = async () => {
      const deadline = Date.now() + 15_000;
      let value = await scrape();
      while (value !== started && Date.now() < deadline) value = await scrape();
      return value;
    };
    for (let i = 0; i < 12; i++) await walkOnce();
    const seen = [await caughtUp()];
    expect(seen[0]).toBe(started);

    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 8; i++) {
      await walkOnce().catch(() => {});
      seen.push(await scrape());
    }
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]!);
    // Every walk the workers answered is counted: the kill took nothing back.
    expect(await caughtUp()).toBe(started);
    expect(output).toMatch(
      new RegExp(`worker ${pid} died \\(SIGKILL\\); started worker (\\d+) in its place`),
    );
    const replacement = Number(/started worker (\d+) in its place/.exec(output)![1]);
    expect(processesInGroup(primary.pid!)).toContain(replacement);
  }, 180_000);

  it('prints made-up credentials on lines of their own, and they open the /metrics of the cluster', async () => {
    const child = startPrimary(
      ['--workers', '1', '--port', '0', '--metrics-port', '0'],
      `file:${join(dir, 'banner.db')}`,
      {
        madeUpCredentials: true,
      },
    );
    let output = '';
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('Kill one:')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`the primary exited (${code}): ${output}`)));
      });
      const metricsUrl = /^ {2}Metrics \(all\): +(\S+)/m.exec(output)![1]!;
      const user = /^ {2}User: +(\S+)$/m.exec(output)![1]!;
      const password = /^ {2}Password: +(\S+) +\(made up for this run/m.exec(output)![1]!;
      expect(output).toContain(`  Try:             curl -u ${user}:${password} ${metricsUrl}\n`);
      const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      expect((await fetch(metricsUrl, { headers: { authorization } })).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);

  it('exits at once, saying why once, when its workers cannot serve (the port is taken)', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const { code, output, seconds } = await runUntilExit(
        startPrimary(
          ['--workers', '2', '--port', String(port), '--metrics-port', '0'],
          `file:${join(dir, 'taken.db')}`,
        ),
      );
      expect({ code, output }).toEqual({
        code: 1,
        output: expect.stringMatching(
          new RegExp(
            `^dog-walker: could not start the cluster: worker \\d+ could not serve: bind EADDRINUSE 127\\.0\\.0\\.1:${port}\n$`,
          ),
        ),
      });
      console.log(`--workers 2 on a taken port: exit 1 after ${seconds.toFixed(1)}s`);
    } finally {
      taken.close();
    }
  }, 30_000);

  it('exits at once, with no replacement, when a worker dies before it listens', async () => {
    const { code, output, seconds } = await runUntilExit(
      startPrimary(
        ['--workers', '2', '--port', '0', '--metrics-port', '0'],
        `file:${join(dir, 'crash.db')}`,
        { nodeFlags: ['--require', WORKERS_EXIT_AT_START] },
      ),
    );
    expect({ code, output }).toEqual({
      code: 1,
      output: expect.stringMatching(
        /^dog-walker: could not start the cluster: worker \d+ could not serve: it exited \(exit code 3\) before listening\n$/,
      ),
    });
    console.log(`--workers 2, a worker dead before listening: exit 1 after ${seconds.toFixed(1)}s`);
  }, 30_000);
});

/**
 * Waits for the primary to end (20 s at most, then kills its group), and checks that it left no
 * process of its group behind: no worker outlives it. A primary still running after 20 s (one
 * that kept replacing its workers) gives the code null, which the tests refuse; how long the
 * exit took is printed, not asserted, as it depends on the machine's load.
 */
async function runUntilExit(child: ChildProcess) {
  const begun = Date.now();
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      process.kill(-child.pid!, 'SIGKILL');
      resolve(null);
    }, 20_000);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  const seconds = (Date.now() - begun) / 1000;
  expect(processesInGroup(child.pid!)).toEqual([]);
  return { code, output, seconds };
}
