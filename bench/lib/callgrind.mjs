import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * valgrind's callgrind counts the instructions a program executes in user space, the same
 * count however busy the machine is. `--smc-check=all-non-file` because V8 writes and rewrites
 * machine code at run time; `--predictable` makes V8 compile and collect garbage on the main
 * thread, in the same order every run; `--predictable-gc-schedule` fixes when it collects (heap
 * growing, the memory reducer), which otherwise follows the wall clock: Express's count moved
 * by 3% between runs without it (a full collection empties V8's inline-cache stub cache,
 * which Express's requests lean on), 0.1% with it.
 *
 * `--initial-old-space-size=1024` leaves out full (mark-compact) collections: the old
 * generation starts large enough that none comes during a run, where otherwise one came every
 * 900 or so requests of Express or Nest. What one costs depends on where in a request it
 * lands: it throws away the optimized code that embeds objects no longer alive at that moment
 * (10,000 of Nest's requests with Promenade saw 45 such deoptimizations and 87 recompilations,
 * bare Nest none), so two runs of the same program differed by 2% and two programs by up to
 * 14% for that reason alone. The young-generation collector, whose work follows what each
 * request allocates and keeps, is counted; the report shows its share, and a full collection
 * in the window, should one come, apart.
 */
export const VALGRIND_ARGS = ['--tool=callgrind', '--smc-check=all-non-file'];
export const NODE_ARGS = ['--predictable', '--predictable-gc-schedule', '--initial-old-space-size=1024'];

// Programs under valgrind still running: killed if this process exits first, so that a failed
// or interrupted count leaves nothing running for an hour.
const running = new Set();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts a bench program (`servers/fastify-bare`) under callgrind and resolves once it is
 * ready. The program talks to this process over IPC as under the CPU bench (bench/lib/child.mjs);
 * valgrind passes the channel's file descriptor on to Node untouched. `node` is the binary to run
 * it with (another major than the one running the bench, for a group that needs it).
 */
export async function startUnderCallgrind(
  name,
  config,
  { outputDir, tag, valgrindArgs = [], nodeArgs = [], node = process.execPath },
) {
  const file = fileURLToPath(new URL(`../${name}.mjs`, import.meta.url));
  const base = join(outputDir, `${name.replaceAll('/', '_')}.${tag}`);
  const outFile = `${base}.callgrind`;
  const logFile = `${base}.log`;
  const child = spawn(
    'valgrind',
    [
      ...VALGRIND_ARGS,
      ...valgrindArgs,
      `--callgrind-out-file=${outFile}`,
      `--log-file=${logFile}`,
      node,
      ...NODE_ARGS,
      ...nodeArgs,
      file,
      JSON.stringify(config),
    ],
    {
      // V8's own files (the isolate log --perf-basic-prof asks for) land beside the results.
      cwd: outputDir,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4096);
  });
  const exited = once(child, 'exit');
  const [message] = await Promise.race([
    once(child, 'message'),
    exited.then(([code, signal]) => {
      throw new Error(`${name} exited before it was ready (${signal ?? code}): ${stderr.trim()}`);
    }),
  ]);
  if (message.type !== 'ready') throw new Error(`${name} sent ${JSON.stringify(message)} first`);
  let dumps = 0;
  let runs = 0;
  return {
    pid: child.pid,
    /** Callgrind's output: the dumps are `<outFile>.1`, `<outFile>.2` ... */
    outFile,
    port: message.port,
    /**
     * Has callgrind write out what it counted since the previous dump (or since the start) and
     * resolves with that number of instructions. Call it while the program is idle: callgrind
     * interrupts the program's wait for events to dump, which costs the program nothing countable.
     */
    async dump() {
      await promisify(execFile)('callgrind_control', ['--dump', String(child.pid)], { timeout: 120_000 });
      return parseSummary(readFileSync(`${outFile}.${++dumps}`, 'utf8'));
    },
    /**
     * For a program without HTTP (bench/lib/loop-child.mjs): runs its operation `count` times
     * and resolves with `{ operations, failed }`.
     */
    async run(count) {
      const id = ++runs;
      child.send({ type: 'run', id, count });
      for (;;) {
        const [reply] = await Promise.race([
          once(child, 'message'),
          exited.then(([code, signal]) => {
            throw new Error(`${name} exited during a run (${signal ?? code}): ${stderr.trim()}`);
          }),
        ]);
        if (reply.type === 'ran' && reply.id === id) return reply;
      }
    },
    /** Stops the program and resolves with the instructions of its whole life (`Collected`). */
    async stop() {
      child.send({ type: 'stop' });
      const [code, signal] = await exited;
      const log = readFileSync(logFile, 'utf8');
      if (code !== 0) throw new Error(`${name} ended with ${signal ?? code}: ${stderr.trim()}\n${log}`);
      return parseCollected(log);
    },
    /** Ends the program and valgrind at once, after a failure. */
    kill() {
      child.kill('SIGKILL');
    },
  };
}

/** The `Collected : <n>` line callgrind writes when the program ends: its total instructions. */
export function parseCollected(log) {
  const match = /^==\d+== Collected : (\d+)\s*$/m.exec(log);
  if (!match) throw new Error(`no "Collected" line in the valgrind log:\n${log.slice(-2000)}`);
  return Number(match[1]);
}

/** The `summary: <n>` line of a callgrind dump: the instructions counted in that part of the run. */
export function parseSummary(dump) {
  const match = /^summary: (\d+)\s*$/m.exec(dump);
  if (!match) throw new Error('no "summary" line in the callgrind dump');
  return Number(match[1]);
}

/**
 * Instructions per request from the totals counted up to two points of one run, after
 * `short.requests` and after `long.requests`: start-up and the warm-up of the first requests
 * are in both totals and cancel; what is left is the cost of the requests in between.
 */
export function instructionsPerRequest(short, long) {
  if (!(long.requests > short.requests))
    throw new Error(
      `the long run needs more requests than the short one (${long.requests} vs ${short.requests})`,
    );
  return (long.instructions - short.instructions) / (long.requests - short.requests);
}

/** How far apart repeated figures are, relative to their mean (0.002 = 0.2%). */
export function relativeSpread(values) {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return (Math.max(...values) - Math.min(...values)) / mean;
}
