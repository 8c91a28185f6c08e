#!/usr/bin/env node
/**
 * The one bench command. From the repository root:
 *
 *   node bench/run.mjs [--quick] [--only=express,fastify,nest,prisma,scrape,hostile,soak] [--no-build]
 *   pnpm --filter @promenade/bench bench [-- same flags]
 *
 * It builds the packages (the bench imports their published entry points, dist/), runs every
 * scenario, prints the targets, and writes bench/results/latest.{json,md}. A full run of every
 * scenario also rewrites the generated section of bench/RESULTS.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPackages } from './lib/build.mjs';
import { pinProcess, raisePriority } from './lib/cpu.mjs';
import { OVERHEAD_GROUPS } from './lib/groups.mjs';
import { describeMachine, gitState, packageVersions } from './lib/machine.mjs';
import { preparePrismaClient } from './lib/prisma-client.mjs';
import { createDogDatabase } from './lib/prisma-database.mjs';
import { renderReport } from './lib/report.mjs';
import { writeResultsSection } from './lib/results-section.mjs';
import { checkTargets } from './lib/targets.mjs';
import { measureHostileTraffic } from './scenarios/hostile.mjs';
import { measureOverhead } from './scenarios/overhead.mjs';
import { measureScrapeCost } from './scenarios/scrape-cost.mjs';
import { measureSoak } from './scenarios/soak.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const rootDir = join(benchDir, '..');
const SCENARIOS = [...OVERHEAD_GROUPS.map((group) => group.group), 'scrape', 'hostile', 'soak'];

const SETTINGS = {
  full: {
    overhead: { rounds: 8, seconds: 3, warmupSeconds: 3 },
    scrape: { routes: 200, scrapes: 200 },
    hostile: { urls: 10_000, methodRequests: 1_000, authRequests: 1_600 },
    soak: { total: 1_000_000, chunks: 10 },
  },
  quick: {
    overhead: { rounds: 2, seconds: 1, warmupSeconds: 1 },
    scrape: { routes: 200, scrapes: 20 },
    hostile: { urls: 1_000, methodRequests: 200, authRequests: 160 },
    soak: { total: 40_000, chunks: 4 },
  },
};

function parseArguments(argv) {
  const options = { quick: false, build: true, only: SCENARIOS };
  for (const arg of argv) {
    if (arg === '--quick') options.quick = true;
    else if (arg === '--no-build') options.build = false;
    else if (arg.startsWith('--only=')) options.only = arg.slice('--only='.length).split(',');
    else if (arg !== '--') throw new Error(`unknown argument ${arg}`);
  }
  const unknown = options.only.filter((name) => !SCENARIOS.includes(name));
  if (unknown.length)
    throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}`);
  return options;
}

function commandLine(argv) {
  const flags = argv.filter((arg) => arg !== '--').join(' ');
  const base =
    process.env.npm_lifecycle_event === 'bench'
      ? 'pnpm --filter @promenade/bench bench'
      : 'node bench/run.mjs';
  return flags ? `${base} ${flags}` : base;
}

async function main() {
  const argv = process.argv.slice(2);
  const options = parseArguments(argv);
  const mode = options.quick ? 'quick' : 'full';
  const settings = SETTINGS[mode];
  const log = (line) => console.log(line);
  const started = Date.now();
  // The load generator (autocannon, in this process) gets core 0; the measured programs core 1.
  pinProcess(process.pid, '0');
  // Inherited by every program started after this.
  const nice = raisePriority();
  if (options.build) buildPackages(rootDir);

  const results = {
    command: commandLine(argv),
    mode,
    settings: settings.overhead,
    startedAt: new Date(started).toISOString(),
    ...gitState(rootDir),
    nice,
    machine: describeMachine(),
    versions: packageVersions(),
    overhead: [],
  };
  const selected = (name) => options.only.includes(name);

  let database;
  if (selected('prisma')) {
    preparePrismaClient();
    database = createDogDatabase();
  }
  try {
    for (const group of OVERHEAD_GROUPS) {
      if (!selected(group.group)) continue;
      log(`\n${group.title}: CPU per operation`);
      const variants = group.variants.map((variant) => ({
        ...variant,
        config: { databaseUrl: database?.url },
      }));
      const measured = await measureOverhead({ ...group, variants, ...settings.overhead, log });
      results.overhead.push({ ...group, ...measured });
    }
  } finally {
    database?.remove();
  }
  if (selected('scrape')) {
    log('\nScrape cost');
    results.scrape = await measureScrapeCost({ ...settings.scrape, log });
  }
  if (selected('hostile')) {
    log('\nHostile traffic');
    results.hostile = await measureHostileTraffic({ ...settings.hostile, log });
  }
  if (selected('soak')) {
    log('\nSoak');
    results.soak = await measureSoak({ ...settings.soak, log });
  }

  results.durationSeconds = (Date.now() - started) / 1000;
  results.loadAverageAtEnd = os.loadavg().map((load) => Number(load.toFixed(2)));
  results.checks = checkTargets(results);
  writeResults(results, { full: mode === 'full' && options.only.length === SCENARIOS.length });
  log('\nTargets');
  for (const check of results.checks)
    log(`  ${check.met ? 'met    ' : 'NOT MET'}  ${check.target}: ${format(check.measured)}`);
}

function format(value) {
  return typeof value === 'number' ? value.toFixed(3) : value;
}

const START = '<!-- results:start (written by bench/run.mjs) -->';
const END = '<!-- results:end -->';

function writeResults(results, { full }) {
  const markdown = renderReport(results);
  const resultsDir = join(benchDir, 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(resultsDir, 'latest.md'), `${markdown}\n`);
  console.log(`\nWrote bench/results/latest.json and bench/results/latest.md`);
  if (!full) return;
  writeResultsSection(markdown, START, END);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
