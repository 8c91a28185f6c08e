import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPushgatewayClient } from '@promenade/core';
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
      pushgateway: createPushgatewayClient({ url: gateway.url }),
    });
    expect(report).toEqual([{ walker: 'Ana', walks: 2, meters: 2000 }]);
    const page = await gateway.metrics();
    const job = 'job="dogwalker_nightly_report"';
    expect(lineOf(page, 'dogwalker_report_walks', job)).toMatch(/walker="Ana"} 2$/);
    expect(lineOf(page, 'dogwalker_report_distance_meters', job)).toMatch(/walker="Ana"} 2000$/);
    expect(lineOf(page, 'promenade_job_last_success_timestamp_seconds', job)).toBeDefined();
    expect(lineOf(page, 'dogwalker_report_query_seconds_count', job)).toMatch(/ 1$/);
  });

  it('runs as one command, prints the report and says where it pushed it', async () => {
    const { code, output } = await runReportJob([], {
      DATABASE_URL: databaseUrl,
      PROMENADE_PUSHGATEWAY_URL: gateway.url,
    });
    expect({ code, output }).toEqual({
      code: 0,
      output: `${REPORT_LINES}\n\nPushed to ${gateway.url} as job="dogwalker_nightly_report".\n`,
    });
  }, 60_000);

  it('still prints the report with no Pushgateway set, and says how to push it', async () => {
    const { code, output } = await runReportJob(['--', '--hours', '24'], { DATABASE_URL: databaseUrl });
    expect({ code, output }).toEqual({
      code: 0,
      output: `${REPORT_LINES}

Not pushed: PROMENADE_PUSHGATEWAY_URL is not set. To push these figures, set it to your Pushgateway, e.g.
  PROMENADE_PUSHGATEWAY_URL=http://127.0.0.1:9091 npm run report
`,
    });
  }, 60_000);

  it('refuses a Pushgateway URL that is none in one line, before doing anything', async () => {
    const { code, output } = await runReportJob([], {
      DATABASE_URL: databaseUrl,
      PROMENADE_PUSHGATEWAY_URL: 'not-a-url',
    });
    expect({ code, output }).toEqual({
      code: 2,
      output:
        'report-job: PROMENADE_PUSHGATEWAY_URL must be the Pushgateway\'s http:// or https:// URL, such as http://127.0.0.1:9091, or unset to only print the report (received "not-a-url")\n',
    });
  }, 60_000);

  it('says in one line that a database the demo never created has no walks', async () => {
    const empty = `file:${join(dir, 'never-started.db')}`;
    const { code, output } = await runReportJob([], { DATABASE_URL: empty });
    expect({ code, output }).toEqual({
      code: 2,
      output: `report-job: the database ${empty} has no walks table: start the demo once (npm start) to create it, or set DATABASE_URL to the demo's database\n`,
    });
  }, 60_000);

  it('refuses an unknown flag with its usage, and no stack trace', async () => {
    const { code, output } = await runReportJob(['--days', '2'], { DATABASE_URL: databaseUrl });
    expect(code).toBe(2);
    expect(output).toMatch(/^report-job: Unknown option '--days'/);
    expect(output).toContain('Usage: npm run report -- [--hours N]');
    expect(output).not.toMatch(/^\s+at /m);
  }, 60_000);
});

const REPORT_LINES = `Walks completed in the last 24 h, per walker:
  Ana                  2 walks      2.0 km`;

/** The job as its own process, from its TypeScript entry, with no Pushgateway but the one given. */
async function runReportJob(args: string[], env: Record<string, string>) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!('PROMENADE_PUSHGATEWAY_URL' in env)) delete childEnv.PROMENADE_PUSHGATEWAY_URL;
  const child = spawn(
    process.execPath,
    ['--import', LOADER, '--conditions=@promenade/source', REPORT_JOB, ...args],
    {
      env: childEnv,
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
  return { code, output };
}
