#!/usr/bin/env node
// `npm start`: the dog-walker demo from a fresh clone with nothing but Node 20 and npm. It installs
// pnpm and the demo's dependencies, builds the demo, then runs it (the app creates and migrates its
// SQLite database) with a traffic simulator, and prints where to look. Needs no root and no system
// package. A second run skips the install and the build when nothing they depend on changed, and
// keeps the database (examples/dog-walker/data/).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { pnpmCommand } from './lib/pnpm.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const example = join(root, 'examples', 'dog-walker');
const DEMO = '@promenade/example-dog-walker';
const started = Date.now();

const HELP = `Usage: npm start [-- options]

Runs the dog-walker demo (examples/dog-walker) with a traffic simulator. The first run installs
pnpm and the dependencies and builds the demo (a minute or two); later runs start in seconds and
keep the data.

  --framework NAME  express (default), fastify, nest-express or nest-fastify
  --port N          port of the app, default 3000 (0 picks a free one)
  --no-simulator    no simulated traffic
  --rate N          simulated requests per second, default 5
  -h, --help        this text

  npm start -- --framework nest-fastify --port 4000

Environment: DATABASE_URL (default: a SQLite file in examples/dog-walker/data/; postgresql://...
for PostgreSQL), PROMENADE_METRICS_USERNAME and PROMENADE_METRICS_PASSWORD (default: made up and
printed), DOGWALKER_FRAMEWORK, PORT. Ctrl-C stops the app and the simulator.`;

function options() {
  try {
    return parseArgs({
      args: process.argv.slice(2),
      allowNegative: true,
      options: {
        framework: { type: 'string' },
        port: { type: 'string' },
        simulator: { type: 'boolean', default: true },
        rate: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    console.error(`npm start: ${error.message}\n\n${HELP}`);
    process.exit(2);
  }
}

/** A fingerprint of files: paths and contents, directories walked, node_modules and outputs skipped. */
function fingerprint(paths) {
  const hash = createHash('sha256');
  const visit = (path) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        if (!['node_modules', 'dist', 'generated', 'data', 'test'].includes(entry)) visit(join(path, entry));
      }
      return;
    }
    hash.update(relative(root, path)).update('\0').update(readFileSync(path)).update('\0');
  };
  for (const path of paths) visit(path);
  return hash.digest('hex');
}

/** Runs `step` unless the stamp file holds `print`; records it after a success. */
function unlessDone(title, stampFile, print, step) {
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === print) return;
  const begun = Date.now();
  console.log(`\n=== ${title}`);
  step();
  writeFileSync(stampFile, print);
  console.log(`=== ${title}: done in ${((Date.now() - begun) / 1000).toFixed(1)}s`);
}

let pnpm;
function runPnpm(args) {
  pnpm ??= pnpmCommand(root);
  const [command, ...leading] = pnpm;
  const result = spawnSync(command, [...leading, ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`npm start: \`pnpm ${args.join(' ')}\` failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

const flags = options();
if (flags.help) {
  console.log(HELP);
  process.exit(0);
}

// Only the demo and the workspace packages it uses: no test or benchmark dependencies.
unlessDone(
  'Installing the dependencies of the demo',
  join(root, 'node_modules', '.promenade-demo-install'),
  fingerprint(['pnpm-lock.yaml', 'pnpm-workspace.yaml', 'package.json', '.npmrc'].map((f) => join(root, f))),
  () => runPnpm(['install', '--frozen-lockfile', '--filter', `${DEMO}...`]),
);
unlessDone(
  'Building the demo',
  join(example, 'dist', '.promenade-build'),
  fingerprint([
    join(root, 'pnpm-lock.yaml'),
    example,
    ...['packages', 'tools'].flatMap((dir) =>
      readdirSync(join(root, dir)).map((name) => join(root, dir, name)),
    ),
  ]),
  () => runPnpm(['--filter', DEMO, 'run', 'build']),
);

const args = [
  ...(flags.framework ? ['--framework', flags.framework] : []),
  ...(flags.port ? ['--port', flags.port] : []),
  ...(flags.rate ? ['--rate', flags.rate] : []),
  flags.simulator ? '--simulator' : '--no-simulator',
];
console.log(`\nStarting the demo (${((Date.now() - started) / 1000).toFixed(1)}s since npm start)`);
const { main } = await import(pathToFileURL(join(example, 'dist', 'index.mjs')).href);
const code = await main(args);
if (code !== 0) process.exit(code);
