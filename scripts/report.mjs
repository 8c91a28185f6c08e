#!/usr/bin/env node
// `npm run report`: the dog-walker demo's nightly report job (examples/dog-walker/src/report-job.ts)
// from the repository's root, with nothing but Node and npm: it installs and builds what the job
// needs as `npm start` does, then runs it with the flags given (`npm run report -- --hours 48`).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareDemo } from './lib/prepare-demo.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
prepareDemo(root, 'npm run report');
const job = join(root, 'examples', 'dog-walker', 'dist', 'report-job.mjs');
const result = spawnSync(process.execPath, [job, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
