import Keyv from 'keyv';
import { serveCacheApp } from '../cache/cache-app.mjs';
import { FloorHistogram, monotonicSeconds } from '../lib/floor-histogram.mjs';

/**
 * Bare in-memory Keyv plus the least any timed instrumentation records per get, done inline:
 * two clock reads, one counter and one histogram observation, with no wrapper and no promise of
 * its own (so the duration it records is not a get's). Its distance to bare Keyv is the floor
 * under a get that is timed on every call.
 */
serveCacheApp(async () => {
  const cache = new Keyv();
  const calls = { value: 0 };
  const duration = new FloorHistogram([0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1]);
  return {
    fill: (key, value) => cache.set(key, value),
    get: (key) => {
      const startedAt = monotonicSeconds();
      const pending = cache.get(key);
      calls.value += 1;
      duration.observe(monotonicSeconds() - startedAt);
      return pending;
    },
    close: async () => {},
  };
});
