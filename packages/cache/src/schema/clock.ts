import { hrtime } from 'node:process';

/**
 * Seconds on a monotonic clock, for durations. `process.hrtime()` is the cheapest monotonic read
 * on Node 20 (bench/RESULTS.md, "Clock reads"): `performance.now()` checks its receiver on every
 * call, and `hrtime.bigint()` makes a BigInt. The pair it allocates dies young.
 */
export function monotonicSeconds(): number {
  const time = hrtime();
  return time[0] + time[1] / 1e9;
}
