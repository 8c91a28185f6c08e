import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { basicAuth, credentials } from './support/demo.js';

const LOADER = fileURLToPath(new URL('../../../test/support/typescript-loader.mjs', import.meta.url));
const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

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
    primary = spawn(
      process.execPath,
      [
        '--import',
        LOADER,
        '--conditions=@promenade/source',
        MAIN,
        '--workers',
        '2',
        '--port',
        '0',
        '--metrics-port',
        '0',
      ],
      {
        env: {
          ...process.env,
          DATABASE_URL: `file:${join(dir, 'walks.db')}`,
          PROMENADE_METRICS_USERNAME: credentials.username,
          PROMENADE_METRICS_PASSWORD: credentials.password,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
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
    expect(output).toMatch(new RegExp(`worker ${pid} died \\(SIGKILL\\); starting another`));
  }, 180_000);
});
