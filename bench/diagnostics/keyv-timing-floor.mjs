import { hrtime } from 'node:process';
import Keyv from 'keyv';
import { serveCacheApp } from '../cache/cache-app.mjs';

/**
 * Bare in-memory Keyv plus the least any timed instrumentation records per get, done inline:
 * two clock reads, one counter and one histogram observation, with no wrapper and no promise of
 * its own (so the duration it records is not a get's). Its distance to bare Keyv is the floor
 * under a get that is timed on every call. The counter and the histogram do what core's series
 * do (an addition; a bucket search and three additions), written here because the bench reaches
 * core through its application entries only.
 */
class FloorHistogram {
  upperBounds = [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1];
  counts = new Float64Array(9);
  sum = 0;
  count = 0;

  observe(value) {
    const bounds = this.upperBounds;
    let index = 0;
    while (index < bounds.length && value > bounds[index]) index++;
    this.counts[index] += 1;
    this.sum += value;
    this.count += 1;
  }
}

serveCacheApp(async () => {
  const cache = new Keyv();
  const calls = { value: 0 };
  const duration = new FloorHistogram();
  const seconds = () => {
    const time = hrtime();
    return time[0] + time[1] / 1e9;
  };
  return {
    fill: (key, value) => cache.set(key, value),
    get: (key) => {
      const startedAt = seconds();
      const pending = cache.get(key);
      calls.value += 1;
      duration.observe(seconds() - startedAt);
      return pending;
    },
    close: async () => {},
  };
});
