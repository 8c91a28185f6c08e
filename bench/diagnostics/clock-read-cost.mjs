import { performance as importedPerformance } from 'node:perf_hooks';
import { hrtime, uptime } from 'node:process';

/**
 * The instructions of one monotonic clock read, for the cache recorder's choice of clock. Not a
 * server: run it under callgrind twice, with 0 reads and with N, and divide the difference of the
 * two `Collected` totals by N (start-up and the warm-up reads cancel):
 *
 *   valgrind --tool=callgrind node --predictable bench/diagnostics/clock-read-cost.mjs hrtime 0
 *   valgrind --tool=callgrind node --predictable bench/diagnostics/clock-read-cost.mjs hrtime 200000
 *
 * Each read is turned into seconds as the recorder would, and summed so that none is optimized away.
 */
const reads = {
  hrtime: () => {
    const time = hrtime();
    return time[0] + time[1] / 1e9;
  },
  uptime: () => uptime(),
  // The global `performance` (an accessor on globalThis on Node 20) and the one imported from
  // node:perf_hooks, as core reads it.
  performanceNow: () => performance.now() / 1e3,
  performanceNowImported: () => importedPerformance.now() / 1e3,
  hrtimeBigint: () => Number(hrtime.bigint()) / 1e9,
};
const [which, count] = [process.argv[2], Number(process.argv[3] ?? 0)];
const read = reads[which];
if (read === undefined || !Number.isInteger(count)) {
  console.error(`usage: clock-read-cost.mjs ${Object.keys(reads).join('|')} <reads>`);
  process.exit(2);
}
let sum = 0;
for (let i = 0; i < 2000; i++) sum += read();
for (let i = 0; i < count; i++) sum += read();
if (sum === 42) console.log(sum);
