#!/usr/bin/env node
// The one test command: on a fresh clone with only Node 20 and npm it installs pnpm, the
// dependencies and the real monitoring stack, then lints, typechecks, builds, checks the
// packages and runs every test. It ends with the line "N passed, N failed".
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_VERSION = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split(
  '@',
)[1];
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

function pnpmCommand() {
  try {
    const version = execFileSync('pnpm', ['--version'], { encoding: 'utf8' }).trim();
    if (version === PNPM_VERSION) return ['pnpm'];
  } catch {}
  console.log(`Installing pnpm ${PNPM_VERSION} with npm`);
  const global = spawnSync('npm', ['install', '--global', `pnpm@${PNPM_VERSION}`], { stdio: 'inherit' });
  if (global.status === 0) return ['pnpm'];
  // No permission for a global install: npx keeps its own copy.
  return ['npx', '--yes', `pnpm@${PNPM_VERSION}`];
}

let closingLine = '0 passed, 1 failed';

function finish() {
  if (failures.length) console.log(`\nFailed steps: ${failures.join(', ')}`);
  console.log(closingLine);
  process.exit(failures.length ? 1 : 0);
}

const [pnpm, ...pnpmArgs] = pnpmCommand();
const p = (title, args, options) => run(title, pnpm, [...pnpmArgs, ...args], options);

p('install', ['install', '--frozen-lockfile'], { fatal: true });
run('real stack', 'bash', ['scripts/stack/install.sh'], { fatal: true });
p('lint', ['exec', 'biome', 'check', '.']);
p('typecheck', ['exec', 'tsc', '-p', 'tsconfig.json', '--noEmit']);
p('build', ['-r', '--filter', './packages/*', 'run', 'build']);
p('package lint', ['-r', '--filter', './packages/*', 'run', 'publint']);

mkdirSync(join(root, '.test-results'), { recursive: true });
const report = join(root, '.test-results', 'vitest.json');
p('tests', ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
try {
  const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = JSON.parse(
    readFileSync(report, 'utf8'),
  );
  const skipped = numPendingTests + numTodoTests;
  // A skipped test is not a passing one: it fails the run.
  if (skipped > 0) failures.push(`${skipped} skipped tests`);
  closingLine = `${numPassedTests} passed, ${numFailedTests + skipped} failed`;
} catch (error) {
  console.log(`No test report: ${error.message}`);
}
finish();
