#!/usr/bin/env node
// `npm start`: the dog-walker demo from a fresh clone with nothing but Node 20 and npm. It installs
// pnpm and the demo's dependencies, builds the demo, then runs it (the app creates and migrates its
// SQLite database) with a traffic simulator, and prints where to look. Needs no root and no system
// package. A second run skips the install and the build when nothing they depend on changed, and
// keeps the database (examples/dog-walker/data/).
//
// The flags are the app's own: they go to its main() as given, which checks them and prints the
// one usage text (examples/dog-walker/src/cli.ts). The simulator is the one default that differs.
import cluster from 'node:cluster';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { prepareDemo } from './lib/prepare-demo.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();

const args = process.argv.slice(2);
if (!args.includes('--simulator') && !args.includes('--no-simulator')) args.push('--simulator');

// A worker of `--workers N` runs this file again (node:cluster forks the primary's script): the
// primary has prepared everything already.
if (cluster.isPrimary) {
  prepareDemo(root, 'npm start');
  console.log(`Starting the demo (${((Date.now() - started) / 1000).toFixed(1)}s since npm start)`);
}
const { main } = await import(pathToFileURL(join(root, 'examples', 'dog-walker', 'dist', 'index.mjs')).href);
const code = await main(args);
if (code !== 0) process.exit(code);
