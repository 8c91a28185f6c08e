#!/usr/bin/env node
/**
 * The instruction count: user-space instructions per request, under valgrind's callgrind,
 * the same figure however busy the machine. From the repository root:
 *
 *   node bench/instructions.mjs [--only=express,fastify,nest,koa,hono,cache,pg,mysql2,better-sqlite3,better-sqlite3-patterns,node-sqlite,node-sqlite-patterns,prisma-model-counts] [--runs=2] [--jobs=2] [--no-build]
 *   node bench/instructions.mjs servers/fastify-bare diagnostics/fastify-empty-hooks   # any programs, the first as baseline
 *
 * Flags: --short=8000 --long=18000 (the count is taken after that many requests; the figure is
 * the difference over the requests between, when V8 has stopped compiling: see bench/README.md),
 * --connections=1 (more lets the server read several requests in one turn of its event loop, as
 * many as the load of the moment allows, so the count moves with it), --process-metrics (keep the timer-driven process metrics on, as shipped),
 * --nice=-5 (the priority the programs run at when permitted; the count does not depend on it).
 * Writes bench/results/instructions.{json,md} and the callgrind files under
 * bench/results/callgrind/ (for callgrind_annotate); a run of every group also rewrites the
 * instruction section of bench/RESULTS.md, and a run of one group the section marked for it
 * (`<!-- instructions-<group>:start ... -->`), if there is one. Needs valgrind (scripts/stack/install.sh installs it).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBinary } from '../scripts/node-versions.mjs';
import { startBenchDatabases } from './lib/bench-databases.mjs';
import { buildPackages } from './lib/build.mjs';
import { NODE_ARGS, VALGRIND_ARGS } from './lib/callgrind.mjs';
import {
  buildCoreWithoutExemplars,
  UNPATCHED_COPY_PROGRAMS,
  WITHOUT_EXEMPLARS_PROGRAMS,
} from './lib/core-without-exemplars.mjs';
import { raisePriority } from './lib/cpu.mjs';
import { INSTRUCTION_GROUPS } from './lib/instruction-groups.mjs';
import { checkInstructionTargets, renderInstructionReport } from './lib/instruction-report.mjs';
import { describeMachine, gitState } from './lib/machine.mjs';
import { preparePrismaClient } from './lib/prisma-client.mjs';
import { startBenchRedis } from './lib/redis-server.mjs';
import { writeResultsSection } from './lib/results-section.mjs';
import { measureInstructions } from './scenarios/instructions.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const rootDir = join(benchDir, '..');
const resultsDir = join(benchDir, 'results');
// Idle connections stay open this long (see bench/lib/child.mjs).
const KEEP_ALIVE_SECONDS = 3600;
const START = '<!-- instructions:start (written by bench/instructions.mjs) -->';
const END = '<!-- instructions:end -->';
// The cache group alone (--only=cache) has a section of its own: its figure is per call.

function parseArguments(argv) {
  const options = {
    only: INSTRUCTION_GROUPS.map((group) => group.group),
    programs: [],
    runs: 2,
    jobs: 2,
    short: 8000,
    long: 18000,
    connections: 1,
    build: true,
    processMetrics: false,
    nice: -5,
  };
  const numeric = {
    runs: 'runs',
    jobs: 'jobs',
    short: 'short',
    long: 'long',
    connections: 'connections',
    nice: 'nice',
  };
  for (const arg of argv) {
    const [flag, value] = arg.split('=');
    if (arg === '--no-build') options.build = false;
    else if (arg === '--process-metrics') options.processMetrics = true;
    else if (flag === '--only') options.only = value.split(',');
    else if (flag.startsWith('--') && numeric[flag.slice(2)]) options[numeric[flag.slice(2)]] = Number(value);
    else if (!arg.startsWith('--')) options.programs.push(arg);
    else if (arg !== '--') throw new Error(`unknown argument ${arg}`);
  }
  const known = INSTRUCTION_GROUPS.map((group) => group.group);
  const unknown = options.only.filter((name) => !known.includes(name));
  if (unknown.length) throw new Error(`unknown group ${unknown.join(', ')}; known: ${known.join(', ')}`);
  for (const name of ['runs', 'jobs', 'short', 'long', 'connections'])
    if (!(Number.isInteger(options[name]) && options[name] > 0))
      throw new Error(`--${name} takes a positive integer (received ${options[name]})`);
  if (!(Number.isInteger(options.nice) && options.nice >= -20 && options.nice <= 19))
    throw new Error(`--nice takes an integer from -20 to 19 (received ${options.nice})`);
  if (options.long <= options.short) throw new Error('--long must be more requests than --short');
  return options;
}

/** Programs named on the command line form one ad hoc group, the first being the baseline. */
function selectGroups(options) {
  if (options.programs.length === 0)
    return INSTRUCTION_GROUPS.filter((group) => options.only.includes(group.group));
  // Query programs (bench/queries/) run their own operations, against the servers they name.
  const queries = options.programs.every((program) => program.startsWith('queries/'));
  const databases = [
    ...new Set(
      options.programs.flatMap((program) =>
        program.includes('/pg-') ? ['postgres'] : program.includes('/mysql2-') ? ['mariadb'] : [],
      ),
    ),
  ];
  return [
    {
      group: 'programs',
      title: 'Programs',
      ...(queries ? { load: 'operations', databases } : {}),
      variants: options.programs.map((program, index) => ({
        name: program,
        program,
        role: index === 0 ? 'bare' : 'other',
      })),
    },
  ];
}

function valgrindVersion() {
  try {
    return execFileSync('valgrind', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'valgrind is not installed: run scripts/stack/install.sh as root (or apt-get install valgrind)',
    );
  }
}

async function main() {
  const argv = process.argv.slice(2);
  const options = parseArguments(argv);
  const started = Date.now();
  // Only the wall time depends on the priority, not the count: on a busy machine a run of every
  // group takes hours at the normal priority. The programs inherit it.
  const nice = raisePriority(options.nice);
  // An interrupted count stops its programs too (see bench/lib/callgrind.mjs).
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));
  // Read before the build and the runs: the figures belong to the tree as it was at the start.
  const git = gitState(rootDir);
  const valgrind = valgrindVersion();
  if (options.build) buildPackages(rootDir);
  // A group that needs another Node (`node: '24'`, for node:sqlite) runs under that major's
  // official binary, fetched once from the npm registry into the cache the tests use.
  const nodeCache = join(rootDir, 'node_modules', '.cache', 'promenade-node');
  const groups = selectGroups(options).map((group) =>
    group.node ? { ...group, nodePath: nodeBinary(group.node, nodeCache) } : group,
  );
  // The Prisma programs load the bench's generated client; each makes its own database file.
  if (groups.some((group) => group.prismaClient)) preparePrismaClient();
  // The build its exemplars-off figure is compared with: made on every run, from the tree as it is.
  const named = (program) =>
    groups.some((group) => group.variants.some((variant) => variant.program === program));
  if (WITHOUT_EXEMPLARS_PROGRAMS.some(named)) buildCoreWithoutExemplars(rootDir);
  if (UNPATCHED_COPY_PROGRAMS.some(named)) buildCoreWithoutExemplars(rootDir, false);
  const outputDir = join(resultsDir, 'callgrind');
  mkdirSync(outputDir, { recursive: true });

  console.log(
    `Counting instructions: ${groups.flatMap((group) => group.variants).length} programs, ${options.runs} run(s) of ${options.short} and ${options.long} requests each, ${options.jobs} at a time`,
  );
  // The cache programs talk to one Redis, started for the run.
  const needsRedis = groups.some(
    (group) => group.needsRedis || group.variants.some((variant) => variant.program.startsWith('cache/')),
  );
  const redis = needsRedis ? await startBenchRedis() : undefined;
  // The database servers of the query groups, started once for the whole run.
  const databaseNames = [...new Set(groups.flatMap((group) => group.databases ?? []))];
  const databases = databaseNames.length
    ? await startBenchDatabases(databaseNames, { rootDir, resultsDir })
    : undefined;
  let measured;
  try {
    measured = await measureInstructions({
      groups,
      short: options.short,
      long: options.long,
      connections: options.connections,
      runs: options.runs,
      jobs: options.jobs,
      config: {
        processMetrics: options.processMetrics,
        keepAliveSeconds: KEEP_ALIVE_SECONDS,
        redisUrl: redis?.url,
        databases: databases?.urls,
      },
      outputDir,
      log: (line) => console.log(line),
    });
  } finally {
    await redis?.stop();
    databases?.stop();
  }
  const results = {
    command: ['node bench/instructions.mjs', ...argv.filter((arg) => arg !== '--')].join(' '),
    startedAt: new Date(started).toISOString(),
    durationSeconds: (Date.now() - started) / 1000,
    ...git,
    nice,
    machine: describeMachine(),
    valgrind,
    valgrindArgs: VALGRIND_ARGS,
    nodeArgs: NODE_ARGS,
    short: options.short,
    long: options.long,
    connections: options.connections,
    runs: options.runs,
    processMetrics: options.processMetrics,
    groups: measured,
  };
  results.checks = checkInstructionTargets(measured);
  const markdown = renderInstructionReport(results);
  writeFileSync(join(resultsDir, 'instructions.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(resultsDir, 'instructions.md'), `${markdown}\n`);
  console.log(`\n${markdown}\n\nWrote bench/results/instructions.json and bench/results/instructions.md`);
  const everyGroup =
    options.programs.length === 0 &&
    options.only.length === INSTRUCTION_GROUPS.length &&
    !options.processMetrics;
  if (everyGroup) writeResultsSection(markdown, START, END);
  // A group added after the last run of every group keeps its own section until the next one.
  const oneGroup = options.programs.length === 0 && options.only.length === 1 && !options.processMetrics;
  if (oneGroup) writeResultsSection(markdown, ...groupMarkers(options.only[0]), { optional: true });
}

function groupMarkers(group) {
  return [
    `<!-- instructions-${group}:start (written by bench/instructions.mjs --only=${group}) -->`,
    `<!-- instructions-${group}:end -->`,
  ];
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
