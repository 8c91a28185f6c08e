import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scrape } from '@promenade/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { STACKS } from '../conformance/stacks.js';
import { type Exchange, runTraffic } from '../conformance/traffic.js';

/**
 * Hono on Bun and on Deno, served by the runtime's own server (Bun.serve, Deno.serve), gets the
 * conformance traffic and must expose the HTTP series Express does; and core's business metrics,
 * rendering and separate metrics port work there. The runtimes come from their npm packages
 * (`bun`, `deno`) and run the TypeScript sources; hono-runtime-check.ts runs inside them.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const check = join('test', 'runtimes', 'hono-runtime-check.ts');
const RUNTIMES = {
  bun: [join(root, 'node_modules', '.bin', 'bun'), ['--conditions=@promenade/source', check]],
  // Deno resolves `./x.js` to `./x.ts` only when told to (the sources are written for Node's resolution).
  deno: [
    join(root, 'node_modules', '.bin', 'deno'),
    ['run', '--allow-all', '--sloppy-imports', '--conditions=@promenade/source', check],
  ],
} as const;

interface RuntimeResult {
  runtime: string;
  exchanges: Exchange[];
  exposition: string;
  core: { deniedStatus: number; scrapeStatus: number; businessLines: string[] };
  processMetrics: string[];
  cluster: string[];
  /** Bun only: the conformance Express stack run on Bun. */
  express?: { exchanges: Exchange[]; exposition: string };
}

function runOn(runtime: keyof typeof RUNTIMES): Promise<RuntimeResult> {
  const [binary, args] = RUNTIMES[runtime];
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      [...args],
      { cwd: root, timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        const line = stdout.split('\n').find((candidate) => candidate.startsWith('RESULT '));
        if (line === undefined)
          reject(new Error(`${runtime} printed no result: ${error?.message ?? ''}\n${stderr}`));
        else resolve(JSON.parse(line.slice('RESULT '.length)) as RuntimeResult);
      },
    );
  });
}

// As in the conformance suite: timing and byte sums blanked, the validation error's class too.
const TIMING_OR_CONTENT =
  /^http_request_duration_seconds_(bucket|sum)|^http_(request|response)_size_bytes_sum/;
const FRAMEWORK_SPECIFIC =
  /^(http_exceptions_total\{method="GET",route="\/api\/walks\/:count",type=")[^"]*(")/;
// Express's own URIError for the URL that does not decode (Hono hands it to the app, which says 400).
const EXPRESS_ONLY = /^http_exceptions_total\{method="GET",route="<unmatched>",type="URIError"\} 1$/;

function httpSeries(exposition: string): string[] {
  return exposition
    .split('\n')
    .filter((line) => line.startsWith('http_') || line.startsWith('promenade_'))
    .filter((line) => !EXPRESS_ONLY.test(line))
    .map((line) => (TIMING_OR_CONTENT.test(line) ? line.replace(/ [^ ]+$/, ' <value>') : line))
    .map((line) => line.replace(FRAMEWORK_SPECIFIC, '$1<framework error class>$2'))
    .sort();
}

// prom-client's default metrics that Node gives and these runtimes do not: absent, not broken.
const NODE_ONLY_FAMILIES = ['nodejs_gc_duration_seconds'];

const results = new Map<string, Promise<RuntimeResult>>();
/** Each runtime runs once, whichever suite asks first. */
function resultOf(runtime: keyof typeof RUNTIMES): Promise<RuntimeResult> {
  if (!results.has(runtime)) results.set(runtime, runOn(runtime));
  return results.get(runtime)!;
}

let onNode: Promise<{ exchanges: Exchange[]; series: string[] }> | undefined;
/** The reference: the conformance Express stack on Node, run once. */
function expressOnNode(): Promise<{ exchanges: Exchange[]; series: string[] }> {
  onNode ??= (async () => {
    const stack = await STACKS.express!();
    try {
      const exchanges = await runTraffic(stack);
      return { exchanges, series: httpSeries(await scrape(stack.registry)) };
    } finally {
      await stack.close();
    }
  })();
  return onNode;
}

describe.each(Object.keys(RUNTIMES) as (keyof typeof RUNTIMES)[])('Hono on %s', (runtime) => {
  let express: { exchanges: Exchange[]; series: string[] };
  let result: RuntimeResult;

  beforeAll(async () => {
    [express, result] = await Promise.all([expressOnNode(), resultOf(runtime)]);
  }, 90_000);

  it('answers the conformance traffic as Express does', () => {
    expect(result.runtime).toBe(runtime);
    expect(result.exchanges).toEqual(express.exchanges);
  });

  it('exposes the same HTTP series as Express: templates, bounded 404s, 499s, exceptions, sizes, none in flight', () => {
    const series = httpSeries(result.exposition);
    expect(series).toContain('http_requests_in_flight 0');
    expect(series).toContain(
      'http_request_duration_seconds_count{method="GET",route="/api/slow",status_code="499"} 1',
    );
    expect(series).toEqual(express.series);
  });

  it("core's business metrics and its separate metrics port, with a bearer token", () => {
    expect(result.core).toEqual({
      deniedStatus: 401,
      scrapeStatus: 200,
      businessLines: ['walks_total{size="small"} 1', 'treats_total 3'],
    });
  });

  it("prom-client's default metrics: those the runtime can give, and Node's garbage-collection histogram absent", () => {
    expect(result.processMetrics).toContain('process_cpu_seconds_total');
    expect(result.processMetrics).toContain('nodejs_heap_size_used_bytes');
    for (const family of NODE_ONLY_FAMILIES) expect(result.processMetrics).not.toContain(family);
  });
});

describe.each(Object.keys(RUNTIMES) as (keyof typeof RUNTIMES)[])('node:cluster on %s', (runtime) => {
  it("aggregates two forked workers' counters on the primary's metrics port", async () => {
    expect((await resultOf(runtime)).cluster).toEqual([
      'runtime_check_jobs_total 4',
      'promenade_cluster_workers 2',
    ]);
  }, 90_000);
});

describe('Express on Bun', () => {
  it('answers the conformance traffic and exposes the same series as Express on Node', async () => {
    const [express, result] = await Promise.all([expressOnNode(), resultOf('bun')]);
    expect(result.express?.exchanges).toEqual(express.exchanges);
    expect(httpSeries(result.express?.exposition ?? '')).toEqual(express.series);
  }, 90_000);
});
