import { startChild } from '../lib/child-process.mjs';
import { processCpuSeconds } from '../lib/cpu.mjs';
import { DRIVERS } from '../lib/drivers.mjs';
import { median } from '../lib/stats.mjs';

/**
 * Per-operation cost of each variant of one comparison, against its first (bare) variant.
 * Every variant runs at once in its own process, idle while the others are measured; each
 * round measures every variant once, in a rotated order, so drifts of the machine hit all
 * alike. The figure compared is the child's CPU time per operation, read from /proc: it does
 * not depend on how fast the load generator or other processes on the machine happen to be.
 */
export async function measureOverhead({ group, variants, driver, rounds, seconds, warmupSeconds, log }) {
  const drive = DRIVERS[driver];
  const started = [];
  for (const variant of variants) {
    try {
      started.push({ ...variant, child: await startChild(variant.program, variant.config), rounds: [] });
    } catch (error) {
      log(`  ${variant.program}: not measured (${error.message})`);
      started.push({ ...variant, unavailable: error.message, rounds: [] });
    }
  }
  const running = started.filter((variant) => variant.child);
  try {
    for (const variant of running) await drive(variant.child, warmupSeconds);
    for (let round = 0; round < rounds; round++) {
      for (const variant of rotate(running, round)) {
        const sample = await measureOnce(drive, variant.child, seconds);
        variant.rounds.push(sample);
        log(
          `  ${group} round ${round + 1}/${rounds} ${variant.program}: ${sample.cpuMicrosPerOperation.toFixed(1)} us CPU/op, ${Math.round(sample.perSecond)} op/s`,
        );
      }
    }
  } finally {
    for (const variant of running) await variant.child.stop();
  }
  return { group, variants: started.map((variant) => summarize(variant, started[0])) };
}

async function measureOnce(drive, child, seconds) {
  const before = processCpuSeconds(child.pid);
  const work = await drive(child, seconds);
  const cpuSeconds = processCpuSeconds(child.pid) - before;
  return { ...work, cpuSeconds, cpuMicrosPerOperation: (cpuSeconds / work.operations) * 1e6 };
}

function rotate(list, by) {
  const shift = by % list.length;
  return [...list.slice(shift), ...list.slice(0, shift)];
}

function summarize(variant, baseline) {
  const { child, rounds, ...rest } = variant;
  // Ratios are taken within a round, so that each compares two measurements seconds apart.
  const ratios = rounds.map(
    (sample, round) => sample.cpuMicrosPerOperation / baseline.rounds[round]?.cpuMicrosPerOperation,
  );
  const best = (samples) => Math.min(...samples.map((sample) => sample.cpuMicrosPerOperation));
  return {
    ...rest,
    rounds,
    cpuRatios: ratios,
    medianCpuRatio: median(ratios),
    // Interference from other work only ever adds CPU time: the least disturbed round of each
    // variant gives a second estimate, for runs on a busy machine.
    bestRoundsRatio: best(rounds) / best(baseline.rounds),
    medianCpuMicrosPerOperation: median(rounds.map((sample) => sample.cpuMicrosPerOperation)),
    medianPerSecond: median(rounds.map((sample) => sample.perSecond)),
    medianP99Ms: median(rounds.map((sample) => sample.p99Ms)),
    failed: rounds.reduce((sum, sample) => sum + sample.failed, 0),
  };
}
