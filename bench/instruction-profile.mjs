#!/usr/bin/env node
/**
 * Where a program's instructions per request go, by function and by package, counted the way
 * bench/instructions.mjs counts them; with a second program, what the first adds over it,
 * function by function. From the repository root:
 *
 *   node bench/instruction-profile.mjs servers/fastify-promenade servers/fastify-bare [--short=8000] [--long=18000] [--top=40]
 *
 * The program runs under callgrind with `--dump-instr=yes` and as `node --perf-basic-prof`,
 * whose map of the code V8 generates names the JavaScript functions (callgrind itself only
 * sees their addresses). Self instructions, not inclusive: an optimized function includes the
 * functions V8 inlined into it, and a builtin (`Builtins_MapPrototypeGet`) or a C++ function is
 * counted for itself, whoever called it. The perf map makes V8 write a line per function it
 * compiles, so the totals run a little above the instruction count's; read the shares and the
 * differences. Uses the packages' dist/ as built.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startUnderCallgrind } from './lib/callgrind.mjs';
import { callersOf, packageOf, readPerfMap, selfCostByFunction } from './lib/callgrind-profile.mjs';
import { openFixedLoad } from './lib/fixed-load.mjs';
import { startBenchRedis } from './lib/redis-server.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const programs = args.filter((arg) => !arg.startsWith('--'));
const flag = (name, fallback) =>
  Number(args.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const short = flag('short', 8000);
const long = flag('long', 18000);
const top = flag('top', 40);
if (programs.length < 1 || programs.length > 2 || !(long > short)) {
  console.error(
    'usage: node bench/instruction-profile.mjs <program> [<baseline>] [--short=8000] [--long=18000] [--top=40]',
  );
  process.exit(2);
}
const outputDir = join(benchDir, 'results', 'instruction-profiles');
mkdirSync(outputDir, { recursive: true });

/** Self instructions per request by function, over the requests between `short` and `long`. */
async function profile(program, redisUrl) {
  const child = await startUnderCallgrind(
    program,
    { processMetrics: false, keepAliveSeconds: 3600, redisUrl },
    {
      outputDir,
      tag: 'profile',
      valgrindArgs: ['--dump-instr=yes', '--compress-strings=no'],
      nodeArgs: ['--perf-basic-prof'],
    },
  );
  // Query programs without a server (bench/queries/better-sqlite3-*) run their own operations.
  const load = program.startsWith('queries/')
    ? { send: (count) => child.run(count), close() {} }
    : openFixedLoad(child.port, { connections: 1 });
  try {
    await load.send(short);
    await child.dump();
    await load.send(long - short);
    await child.dump();
  } finally {
    load.close();
  }
  await child.stop();
  const perfMapFile = `/tmp/perf-${child.pid}.map`;
  const dump = readFileSync(join(outputDir, `${program.replaceAll('/', '_')}.profile.callgrind.2`), 'utf8');
  const perfMap = readPerfMap(perfMapFile);
  const costs = selfCostByFunction(dump, perfMap);
  const icCalls = callersOf(dump, perfMap, (name) => INLINE_CACHE.test(name));
  rmSync(perfMapFile, { force: true });
  const perRequest = new Map();
  for (const [name, cost] of costs) perRequest.set(name, cost / (long - short));
  // Per request, by "caller -> builtin": which code takes V8's generic property-access paths.
  const icPerRequest = new Map();
  for (const [callee, byCaller] of icCalls)
    for (const [caller, { calls, inclusive }] of byCaller)
      icPerRequest.set(`${caller} -> ${callee}`, {
        calls: calls / (long - short),
        inclusive: inclusive / (long - short),
      });
  return { perRequest, icPerRequest };
}

/** V8's inline-cache builtins: a property access its optimized code could not inline. */
const INLINE_CACHE = /^Builtins_(Keyed)?(Load|Store|Has|Define)\w*IC/;

function sumBy(costs, keyOf) {
  const sums = new Map();
  for (const [name, cost] of costs) sums.set(keyOf(name), (sums.get(keyOf(name)) ?? 0) + cost);
  return sums;
}

const total = (costs) => [...costs.values()].reduce((sum, cost) => sum + cost, 0);
const int = (value) => Math.round(value).toLocaleString('en-US').padStart(10);
const signed = (value) => `${value >= 0 ? '+' : ''}${Math.round(value).toLocaleString('en-US')}`.padStart(10);

console.log(`Profiling ${programs.join(' and ')} at once (requests ${short + 1} to ${long})...`);
// The cache programs talk to one Redis, started for the profile as bench/instructions.mjs does.
const redis = programs.some((program) => program.startsWith('cache/')) ? await startBenchRedis() : undefined;
let results;
try {
  results = await Promise.all(programs.map((program) => profile(program, redis?.url)));
} finally {
  await redis?.stop();
}
const profiles = results.map((result) => result.perRequest);
const lines = [];
const [subject, baseline] = profiles;
lines.push(
  `${programs[0]}: ${int(total(subject)).trim()} instructions/request (self, by function, with the perf map on)`,
);
lines.push('', 'by package:');
for (const [name, cost] of [...sumBy(subject, packageOf)].sort((a, b) => b[1] - a[1]))
  lines.push(`${int(cost)}  ${((100 * cost) / total(subject)).toFixed(1).padStart(5)}%  ${name}`);
lines.push('', `top ${top} functions:`);
for (const [name, cost] of [...subject].sort((a, b) => b[1] - a[1]).slice(0, top))
  lines.push(
    `${int(cost)}  ${((100 * cost) / total(subject)).toFixed(1).padStart(5)}%  ${name.slice(0, 160)}`,
  );
if (baseline) {
  lines.push(
    '',
    `${programs[0]} over ${programs[1]}: ${signed(total(subject) - total(baseline)).trim()} instructions/request`,
  );
  lines.push('', 'by package:');
  const subjectPackages = sumBy(subject, packageOf);
  const baselinePackages = sumBy(baseline, packageOf);
  const names = new Set([...subjectPackages.keys(), ...baselinePackages.keys()]);
  for (const [name, delta] of [...names]
    .map((name) => [name, (subjectPackages.get(name) ?? 0) - (baselinePackages.get(name) ?? 0)])
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])))
    lines.push(`${signed(delta)}  ${name}`);
  lines.push('', `top ${top} differences by function:`);
  const functions = new Set([...subject.keys(), ...baseline.keys()]);
  for (const [name, delta] of [...functions]
    .map((name) => [name, (subject.get(name) ?? 0) - (baseline.get(name) ?? 0)])
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .slice(0, top))
    lines.push(`${signed(delta)}  ${name.slice(0, 160)}`);
}
lines.push(
  '',
  `${programs[0]}: V8's inline-cache builtins by caller (calls and inclusive instructions per request):`,
);
for (const [site, { calls, inclusive }] of [...results[0].icPerRequest]
  .sort((a, b) => b[1].inclusive - a[1].inclusive)
  .slice(0, top))
  lines.push(`${int(inclusive)}  ${calls.toFixed(2).padStart(6)} calls  ${site.slice(0, 200)}`);
if (baseline) {
  lines.push('', `inline-cache builtins by caller, ${programs[0]} over ${programs[1]}:`);
  const sites = new Set([...results[0].icPerRequest.keys(), ...results[1].icPerRequest.keys()]);
  const inclusiveOf = (result, site) => result.icPerRequest.get(site)?.inclusive ?? 0;
  for (const [site, delta] of [...sites]
    .map((site) => [site, inclusiveOf(results[0], site) - inclusiveOf(results[1], site)])
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .slice(0, top))
    lines.push(`${signed(delta)}  ${site.slice(0, 200)}`);
}
const report = lines.join('\n');
console.log(`\n${report}`);
const file = join(outputDir, `${programs.map((program) => program.replaceAll('/', '_')).join('-over-')}.txt`);
writeFileSync(file, `${report}\n`);
console.log(`\nWrote ${file.slice(benchDir.length - 'bench'.length)}`);
