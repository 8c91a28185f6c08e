import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { answers } from '../../../../../test/support/stack/http.js';
import {
  type Daemon,
  makeDataDir,
  readyOrStop,
  run,
  spawnDaemon,
  waitUntil,
} from '../../../../../test/support/stack/process.js';
import { deployPath } from './paths.js';

/** The demo's built entry point (its package's `start` script runs the same file). */
export const DEMO_ENTRY = deployPath('..', 'dist', 'main.mjs');

const DEMO_DIR = deployPath('..');

function newestSource(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs;
    }),
  );
}

/**
 * Builds the demo with its own build steps (Prisma clients, then tsdown) when its build is missing
 * or older than its sources. `npm test` builds it before the tests; this serves a test run alone.
 */
export async function ensureDemoBuilt(): Promise<void> {
  if (existsSync(DEMO_ENTRY) && statSync(DEMO_ENTRY).mtimeMs >= newestSource(join(DEMO_DIR, 'src'))) return;
  const tsdownManifest = createRequire(join(DEMO_DIR, 'package.json')).resolve('tsdown/package.json');
  const { bin } = JSON.parse(readFileSync(tsdownManifest, 'utf8')) as { bin: Record<string, string> };
  const steps: string[][] = [
    [join(DEMO_DIR, 'scripts', 'generate-clients.mjs')],
    [join(dirname(tsdownManifest), bin.tsdown!)],
  ];
  for (const args of steps) {
    const result = await run(process.execPath, args, { cwd: DEMO_DIR, timeoutMs: 120_000 });
    if (result.exitCode !== 0) throw new Error(`building the demo failed: ${result.stdout}${result.stderr}`);
  }
}

/** The demo's batch job, built beside it. */
export const BATCH_ENTRY = deployPath('..', 'dist', 'report-job.mjs');

export const CONSUMER_ENTRY = deployPath('..', 'dist', 'consumer.mjs');

/** The walk-event consumer as deployed: its own process, its metrics on `metricsPort`. */
export async function startConsumerProcess(options: {
  metricsPort: number;
  env: Record<string, string>;
}): Promise<{ stop(): Promise<void> }> {
  const dir = makeDataDir('demo-consumer');
  const daemon = spawnDaemon(
    'demo-consumer',
    process.execPath,
    [CONSUMER_ENTRY, '--metrics-port', String(options.metricsPort), '--host', '127.0.0.1'],
    { dir, env: options.env },
  );
  // Any answer, 401 included, means it serves.
  await readyOrStop(daemon, () =>
    waitUntil(
      'the consumer serving /metrics',
      daemon,
      async () => {
        const response = await fetch(`http://127.0.0.1:${options.metricsPort}/metrics`);
        await response.arrayBuffer();
        return response.status === 401;
      },
      60_000,
    ),
  );
  return { stop: () => daemon.stop() };
}

export interface DemoOptions {
  /** A name for logs and errors, e.g. "busy". */
  name: string;
  /** Command-line flags of the demo. */
  args: string[];
  env: Record<string, string>;
  /** Answers 2xx once the demo serves, e.g. http://127.0.0.1:<port>/readyz. */
  readyUrl: string;
  timeoutMs?: number;
}

export interface DemoProcess {
  readonly pid: number;
  readonly dir: string;
  /** The pids of the processes the demo forked itself (its cluster workers), at this moment. */
  childPids(): number[];
  logTail(lines?: number): string;
  /** Stops the demo, then any process it forked that outlived it. */
  stop(): Promise<void>;
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields follow the last ')'.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function runsDemo(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(DEMO_ENTRY);
  } catch {
    return false;
  }
}

function childrenOf(parent: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => parentOf(pid) === parent);
}

/** Runs the built demo as a child process of this test and waits until it is ready. */
export async function startDemo(options: DemoOptions): Promise<DemoProcess> {
  const dir = makeDataDir(`demo-${options.name}`);
  const daemon: Daemon = spawnDaemon(
    `demo-${options.name}`,
    process.execPath,
    [DEMO_ENTRY, ...options.args],
    {
      dir,
      env: options.env,
    },
  );
  await readyOrStop(daemon, () =>
    waitUntil(
      `demo ${options.name} ready`,
      daemon,
      () => answers(options.readyUrl),
      options.timeoutMs ?? 90_000,
    ),
  );
  const seen = new Set<number>();
  const childPids = () => {
    const pids = daemon.hasExited() ? [] : childrenOf(daemon.pid);
    for (const pid of pids) seen.add(pid);
    return pids;
  };
  return {
    pid: daemon.pid,
    dir,
    childPids,
    logTail: (lines) => daemon.logTail(lines),
    async stop() {
      childPids();
      await daemon.stop();
      // Workers of a primary that died first would otherwise keep their ports; a pid counts as
      // such a worker only while it still runs the demo's entry point.
      for (const pid of seen) {
        if (runsDemo(pid)) process.kill(pid, 'SIGKILL');
      }
    },
  };
}

/**
 * Runs the demo's batch job to its end; throws unless it exits 0 (or, with `expectFailure`,
 * unless it exits non-zero).
 */
export async function runBatchJob(options: { env: Record<string, string>; expectFailure?: boolean }) {
  const result = await run(process.execPath, [BATCH_ENTRY], { env: options.env });
  const failed = result.exitCode !== 0;
  if (failed !== Boolean(options.expectFailure)) {
    throw new Error(`batch job exited ${result.exitCode}: ${result.stdout}${result.stderr}`);
  }
  return result;
}
