#!/usr/bin/env node
/**
 * Interleaved comparison of any bench programs, the first being the baseline: the same
 * measurement as the run's overhead tables, for checking a change or a suspicion.
 *
 *   node bench/compare.mjs servers/nest-bare diagnostics/nest-noop-interceptor servers/nest-promenade
 *   node bench/compare.mjs prisma/bare prisma/noop-extension prisma/promenade --driver=loop --rounds=8 --seconds=3
 *
 * Uses the packages' dist/ as built (run `pnpm -r --filter "./packages/*" run build` first).
 */
import { pinProcess, raisePriority } from './lib/cpu.mjs';
import { preparePrismaClient } from './lib/prisma-client.mjs';
import { createDogDatabase } from './lib/prisma-database.mjs';
import { measureOverhead } from './scenarios/overhead.mjs';

const args = process.argv.slice(2);
const programs = args.filter((arg) => !arg.startsWith('--'));
const flag = (name, fallback) => args.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
if (programs.length < 2) {
  console.error(
    'usage: node bench/compare.mjs <baseline> <program>... [--driver=http|loop] [--rounds=8] [--seconds=3]',
  );
  process.exit(2);
}
const driver = flag('driver', programs[0].startsWith('prisma/') ? 'loop' : 'http');

pinProcess(process.pid, '0');
raisePriority();
let database;
if (driver === 'loop') {
  preparePrismaClient();
  database = createDogDatabase();
}
try {
  const result = await measureOverhead({
    group: 'compare',
    variants: programs.map((program) => ({ name: program, program, config: { databaseUrl: database?.url } })),
    driver,
    rounds: Number(flag('rounds', 8)),
    seconds: Number(flag('seconds', 3)),
    warmupSeconds: 3,
    log: () => {},
  });
  const width = Math.max(...programs.map((program) => program.length));
  console.log(`${'program'.padEnd(width)}  CPU µs/op  ratio (median)  best rounds  per round`);
  for (const variant of result.variants) {
    if (variant.unavailable) {
      console.log(`${variant.name.padEnd(width)}  not measured: ${variant.unavailable}`);
      continue;
    }
    console.log(
      `${variant.name.padEnd(width)}  ${variant.medianCpuMicrosPerOperation.toFixed(1).padStart(9)}  ${variant.medianCpuRatio.toFixed(3).padStart(14)}  ${variant.bestRoundsRatio.toFixed(3).padStart(11)}  ${variant.cpuRatios.map((ratio) => ratio.toFixed(2)).join(' ')}`,
    );
  }
} finally {
  database?.remove();
}
