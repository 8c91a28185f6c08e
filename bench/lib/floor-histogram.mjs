import { hrtime } from 'node:process';

/**
 * The least an instrumentation records per observation, for the diagnostics programs that measure
 * a floor (bench/diagnostics/*-timing-floor.mjs): what core's histogram series do (a bucket search
 * and three additions), written here because the bench reaches core through its application
 * entries only.
 */
export class FloorHistogram {
  constructor(upperBounds) {
    this.upperBounds = upperBounds;
    this.counts = new Float64Array(upperBounds.length + 1);
    this.sum = 0;
    this.count = 0;
  }

  observe(value) {
    const bounds = this.upperBounds;
    let index = 0;
    while (index < bounds.length && value > bounds[index]) index++;
    this.counts[index] += 1;
    this.sum += value;
    this.count += 1;
  }
}

/** Seconds on the cheapest monotonic clock on Node 20 (diagnostics/clock-read-cost.mjs), as @promenade/cache reads it. */
export function monotonicSeconds() {
  const time = hrtime();
  return time[0] + time[1] / 1e9;
}
