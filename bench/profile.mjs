#!/usr/bin/env node
/**
 * Where a bench program spends its CPU under the bench's load:
 *
 *   node bench/profile.mjs servers/express-promenade [--seconds=10]
 *   node bench/profile.mjs prisma/promenade --seconds=10
 *   node bench/profile.mjs some/other-program --driver=loop   (a loop-child program elsewhere)
 *
 * Runs the program under `node --cpu-prof`, warms it up, drives it for the given seconds,
 * stops it, and prints a summary of the profile (bench/results/profiles/*.cpuprofile keeps
 * the whole profile for Chrome DevTools). Uses the packages' dist/ as built.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild } from './lib/child-process.mjs';
import { pinProcess, raisePriority } from './lib/cpu.mjs';
import { renderProfileSummary, summarizeCpuProfile } from './lib/cpu-profile.mjs';
import { DRIVERS } from './lib/drivers.mjs';
import { preparePrismaClient } from './lib/prisma-client.mjs';
import { createDogDatabase } from './lib/prisma-database.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const [program, ...flags] = process.argv.slice(2);
if (!program) {
  console.error(
    'usage: node bench/profile.mjs <servers/name | prisma/name> [--seconds=10] [--driver=http|loop]',
  );
  process.exit(2);
}
const flag = (name) => flags.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
const seconds = Number(flag('seconds') ?? 10);
// Programs under prisma/ run a loop of queries; the others are HTTP servers.
const driver = flag('driver') ?? (program.startsWith('prisma/') ? 'loop' : 'http');
const isPrisma = driver === 'loop';
const profileDir = join(benchDir, 'results', 'profiles', program.replace('/', '-'));
mkdirSync(profileDir, { recursive: true });

pinProcess(process.pid, '0');
raisePriority();
let database;
if (isPrisma) {
  preparePrismaClient();
  database = createDogDatabase();
}
try {
  const child = await startChild(
    program,
    { databaseUrl: database?.url },
    { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=200'] },
  );
  const drive = DRIVERS[driver];
  await drive(child, 3);
  const work = await drive(child, seconds);
  await child.stop();
  const newest = readdirSync(profileDir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .sort()
    .at(-1);
  console.log(
    `${program}: ${Math.round(work.perSecond)} operations/s under the profiler; ${join(profileDir, newest)}`,
  );
  console.log(
    renderProfileSummary(summarizeCpuProfile(join(profileDir, newest), { windowSeconds: seconds })),
  );
} finally {
  database?.remove();
}
