import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Counter, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PushgatewayHandle, startPushgateway } from '../../../test/support/stack.js';
import { PromenadeError, runJob } from '../src/index.js';
import { JOB_METRIC_NAMES } from '../src/pushgateway/run-job.js';

const LOADER = fileURLToPath(new URL('../../../test/support/typescript-loader.mjs', import.meta.url));
const INTERRUPTED_JOB = fileURLToPath(new URL('./fixtures/interrupted-job.ts', import.meta.url));

/** The value of the one sample of `name` in the group of `job`, or undefined. */
function valueIn(page: string, name: string, job: string): number | undefined {
  const line = page
    .split('\n')
    .find((candidate) => candidate.startsWith(`${name}{`) && candidate.includes(`job="${job}"`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

function jobRegistry(rows: number): Registry {
  const registry = new Registry();
  new Counter({ name: 'report_rows_total', help: 'Rows read by the report.', registers: [registry] }).inc(
    rows,
  );
  return registry;
}

describe('runJob against the real Pushgateway', () => {
  let gateway: PushgatewayHandle;
  beforeAll(async () => {
    gateway = await startPushgateway();
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it('pushes duration and last success on success, and a failure keeps the last success', async () => {
    const pushgateway = { url: gateway.url };
    const before = Date.now() / 1000;
    const result = await runJob({ name: 'nightly', pushgateway, registry: jobRegistry(12) }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return 'report written';
    });
    expect(result).toBe('report written');
    let page = await gateway.metrics();
    const success = valueIn(page, JOB_METRIC_NAMES.lastSuccess, 'nightly')!;
    expect(success).toBeGreaterThanOrEqual(Math.floor(before));
    expect(valueIn(page, JOB_METRIC_NAMES.duration, 'nightly')).toBeGreaterThanOrEqual(0.045);
    expect(valueIn(page, JOB_METRIC_NAMES.lastFailure, 'nightly')).toBeUndefined();
    expect(valueIn(page, 'report_rows_total', 'nightly')).toBe(12);
    expect(valueIn(page, 'push_time_seconds', 'nightly')).toBeGreaterThanOrEqual(Math.floor(before));

    const failure = new Error('database gone');
    await expect(
      runJob({ name: 'nightly', pushgateway, registry: jobRegistry(3) }, () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    page = await gateway.metrics();
    expect(valueIn(page, JOB_METRIC_NAMES.lastSuccess, 'nightly')).toBe(success);
    expect(valueIn(page, JOB_METRIC_NAMES.lastFailure, 'nightly')).toBeGreaterThanOrEqual(success);
    expect(valueIn(page, 'report_rows_total', 'nightly')).toBe(3);
  });

  it('pushes a failure and lets SIGTERM end the process as the signal says', async () => {
    const child = spawn(
      process.execPath,
      ['--import', LOADER, '--conditions=@promenade/source', INTERRUPTED_JOB],
      {
        env: { ...process.env, PROMENADE_PUSHGATEWAY_URL: gateway.url },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('running')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`job exited early (${code}): ${output}`)));
    });
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.once('exit', (code, signal) => resolve([code, signal])),
    );
    child.kill('SIGTERM');
    expect(await exited).toEqual([null, 'SIGTERM']);
    expect(output).not.toContain('finished');
    const page = await gateway.metrics();
    expect(valueIn(page, JOB_METRIC_NAMES.lastFailure, 'interrupted_report')).toBeGreaterThan(0);
    expect(valueIn(page, JOB_METRIC_NAMES.lastSuccess, 'interrupted_report')).toBeUndefined();
    expect(valueIn(page, 'report_rows_total', 'interrupted_report')).toBe(4);
  }, 60_000);
});

describe('runJob when the gateway is away', () => {
  it('returns the job result and reports the push failure within the time limit', async () => {
    const gateway = await startPushgateway();
    const url = gateway.url;
    await gateway.stop();
    const reported: Error[] = [];
    const logged: unknown[] = [];
    const log = console.error;
    console.error = (...args: unknown[]) => logged.push(args.join(' '));
    try {
      const result = await runJob(
        {
          name: 'lonely',
          pushgateway: { url, timeoutMs: 1000 },
          registry: new Registry(),
          onPushError: (e) => reported.push(e),
        },
        () => 42,
      );
      expect(result).toBe(42);
      const failure = new TypeError('bad input');
      await expect(
        runJob(
          { name: 'lonely', pushgateway: { url, timeoutMs: 1000 }, registry: new Registry() },
          async () => {
            throw failure;
          },
        ),
      ).rejects.toBe(failure);
    } finally {
      console.error = log;
    }
    expect(reported).toHaveLength(1);
    expect(reported[0]).toBeInstanceOf(PromenadeError);
    expect(reported[0]!.message).toMatch(
      /^@promenade\/core: push-add failed: POST .*\/metrics\/job\/lonely: connect ECONNREFUSED/,
    );
    expect(logged).toHaveLength(2);
    expect(String(logged[0])).toMatch(
      /^@promenade\/core: job "lonely" ran, but its metrics were not pushed: /,
    );
  });

  it('rejects invalid options before running the job', async () => {
    let ran = false;
    await expect(
      runJob({ name: '', pushgateway: { url: 'http://127.0.0.1:1' } }, () => {
        ran = true;
      }),
    ).rejects.toThrow('@promenade/core: option "job.name" must be a non-empty string (received "")');
    const saved = process.env.PROMENADE_PUSHGATEWAY_URL;
    delete process.env.PROMENADE_PUSHGATEWAY_URL;
    try {
      await expect(runJob({ name: 'j' }, () => (ran = true))).rejects.toThrow(
        '@promenade/core: option "job.pushgateway" is required when PROMENADE_PUSHGATEWAY_URL is not set (received undefined)',
      );
    } finally {
      if (saved !== undefined) process.env.PROMENADE_PUSHGATEWAY_URL = saved;
    }
    expect(ran).toBe(false);
  });
});
