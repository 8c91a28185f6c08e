import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PushgatewayHandle, startPushgateway } from '../../../test/support/stack.js';
import { runNightlyReport } from '../src/report-job.js';
import { type Demo, startDemo } from './support/demo.js';

const LOADER = fileURLToPath(new URL('../../../test/support/typescript-loader.mjs', import.meta.url));
const REPORT_JOB = fileURLToPath(new URL('../src/report-job.ts', import.meta.url));

function lineOf(page: string, name: string, labels: string): string | undefined {
  return page.split('\n').find((line) => line.startsWith(`${name}{`) && line.includes(labels));
}

describe('the nightly report job', () => {
  let gateway: PushgatewayHandle;
  let demo: Demo;
  const dir = mkdtempSync(join(tmpdir(), 'dogwalker-report-'));
  const databaseUrl = `file:${join(dir, 'walks.db')}`;

  beforeAll(async () => {
    gateway = await startPushgateway();
    demo = await startDemo('express', databaseUrl);
    const walker = (await demo.call('POST', '/api/walkers', { name: 'Ana', email: 'ana@example.com' })).body;
    for (const [name, meters] of [
      ['Rex', 800],
      ['Bo', 1200],
    ] as const) {
      const dog = (await demo.call('POST', '/api/dogs', { name, age: 3, size: 'md' })).body;
      const walk = (await demo.call('POST', '/api/walks', { dogId: dog.id, walkerId: walker.id })).body;
      expect(
        (await demo.call('POST', `/api/walks/${walk.id}/complete`, { distanceMeters: meters })).status,
      ).toBe(200);
    }
  });
  afterAll(async () => {
    await demo?.stop();
    await gateway?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports walks and distance per walker and pushes them with the job outcome', async () => {
    const report = await runNightlyReport({
      databaseUrl: databaseUrl,
      hours: 24,
      pushgatewayUrl: gateway.url,
    });
    expect(report).toEqual([{ walker: 'Ana', walks: 2, meters: 2000 }]);
    const page = await gateway.metrics();
    const job = 'job="dogwalker_nightly_report"';
    expect(lineOf(page, 'dogwalker_report_walks', job)).toMatch(/walker="Ana"} 2$/);
    expect(lineOf(page, 'dogwalker_report_distance_meters', job)).toMatch(/walker="Ana"} 2000$/);
    expect(lineOf(page, 'promenade_job_last_success_timestamp_seconds', job)).toBeDefined();
    expect(lineOf(page, 'dogwalker_report_query_seconds_count', job)).toMatch(/ 1$/);
  });

  it('runs as one command and prints the report', async () => {
    const child = spawn(
      process.execPath,
      ['--import', LOADER, '--conditions=@promenade/source', REPORT_JOB],
      {
        env: { ...process.env, DATABASE_URL: databaseUrl, PROMENADE_PUSHGATEWAY_URL: gateway.url },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(output).toMatch(/Ana\s+2 walks\s+2\.0 km/);
    expect(code).toBe(0);
  }, 60_000);
});
