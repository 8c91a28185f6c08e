#!/usr/bin/env node
// The one test command: on a fresh clone with only Node 20 and npm it installs pnpm, the
// dependencies and the real monitoring stack, then lints, typechecks, builds, checks the
// packages and runs every test. It ends with the line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pnpmCommand } from './lib/pnpm.mjs';
import { EXTRA_NODE_MAJORS, nodeBinary } from './node-versions.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const failures = [];

function run(title, command, args, { fatal = false, env = {} } = {}) {
  const started = Date.now();
  console.log(`\n=== ${title}: ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0;
  console.log(
    `=== ${title}: ${ok ? 'ok' : `FAILED (exit ${result.status ?? result.signal})`} in ${seconds}s`,
  );
  if (!ok) {
    failures.push(title);
    if (fatal) finish();
  }
  return ok;
}

let closingLine = '0 passed, 1 failed';

function finish() {
  if (failures.length) console.log(`\nFailed steps: ${failures.join(', ')}`);
  console.log(closingLine);
  process.exit(failures.length ? 1 : 0);
}

const [pnpm, ...pnpmArgs] = pnpmCommand(root);
const p = (title, args, options) => run(title, pnpm, [...pnpmArgs, ...args], options);

p('install', ['install', '--frozen-lockfile'], { fatal: true });
run('real stack', 'bash', ['scripts/stack/install.sh'], { fatal: true });
p('lint', ['exec', 'biome', 'check', '.']);
// The demo's sources import its generated Prisma clients (git-ignored), so they exist before typecheck.
run('prisma clients', process.execPath, ['examples/dog-walker/scripts/generate-clients.mjs']);
p('typecheck', ['exec', 'tsc', '-p', 'tsconfig.json', '--noEmit']);
// What may import what (docs/architecture.md), and no import cycle: .dependency-cruiser.cjs.
p('layering', [
  'exec',
  'depcruise',
  '--config',
  '.dependency-cruiser.cjs',
  'packages',
  'tools',
  'examples',
  'bench',
]);
p('build', ['-r', '--filter', './packages/*', '--filter', './examples/*', 'run', 'build']);
// The packages as a user meets them: packed, linted, published in a dry run, installed with npm.
const PNPM_COMMAND = [pnpm, ...pnpmArgs].join(' ');
run('packed packages', process.execPath, ['test/packages/pack.mjs'], { env: { PNPM_COMMAND } });
run('consumer apps', process.execPath, ['test/packages/consumers.mjs']);

mkdirSync(join(root, '.test-results'), { recursive: true });
const reports = [];
function vitest(title, node, args) {
  const report = join(root, '.test-results', `vitest-${reports.length}.json`);
  reports.push(report);
  const reporters = ['--reporter=default', '--reporter=json', `--outputFile.json=${report}`];
  if (node === undefined) p(title, ['exec', 'vitest', 'run', ...reporters, ...args]);
  else run(title, node, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...reporters, ...args]);
}
vitest('tests', undefined, []);
// The Nest suite and the conformance traffic on Nest 11 (the workspace's Nest is 12).
vitest('tests on Nest 11', undefined, ['--config', 'test/nest11/vitest.config.ts']);

// The suites whose behaviour depends on Node's version (the adapters hook Node's request and
// response, core renders and serves), again on the other supported majors. The stack and
// consumer suites talk to daemons through the same code and are not repeated; orm-prisma is
// not either: better-sqlite3 is a native addon built for the Node that ran the install.
// Trailing slashes: vitest's filters match any path containing them (the demo's own
// conformance test would match `test/conformance`).
const PER_NODE_SUITES = [
  'packages/core/',
  'packages/express/',
  'packages/fastify/',
  'packages/nest/',
  'packages/hono/',
  'packages/koa/',
  'test/conformance/',
  'test/threads/',
  // Keyv 6 declares Node >= 22.19: its suite is meant for these majors.
  'packages/cache/',
  // node:sqlite exists from Node 22.5: Node 20 checks the wrapper says so, 22 and 24 use it.
  'packages/db/test/node-sqlite',
];
for (const major of EXTRA_NODE_MAJORS) {
  let node;
  const started = Date.now();
  try {
    node = nodeBinary(major, join(root, 'node_modules', '.cache', 'promenade-node'));
    console.log(`\n=== Node ${major}: ${node} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  } catch (error) {
    console.log(`Node ${major} could not be installed: ${error.message}`);
    failures.push(`node ${major} install`);
    continue;
  }
  vitest(`tests on Node ${major}`, node, PER_NODE_SUITES);
}

const totals = { passed: 0, failed: 0, skipped: 0 };
for (const report of reports) {
  try {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = JSON.parse(
      readFileSync(report, 'utf8'),
    );
    totals.passed += numPassedTests;
    totals.failed += numFailedTests;
    totals.skipped += numPendingTests + numTodoTests;
  } catch (error) {
    console.log(`No test report: ${error.message}`);
    totals.failed += 1;
  }
}
// A skipped test is not a passing one: it fails the run.
if (totals.skipped > 0) failures.push(`${totals.skipped} skipped tests`);
closingLine = `${totals.passed} passed, ${totals.failed + totals.skipped} failed`;
finish();
