import { hrtime } from 'node:process';
import { SeriesCounter, SeriesHistogram } from '@promenade/core/adapter';
import Keyv from 'keyv';
import { Registry } from 'prom-client';
import { serveCacheApp } from '../cache/cache-app.mjs';

/**
 * Bare in-memory Keyv plus the least any timed instrumentation records per get, done inline:
 * two clock reads, one counter and one histogram observation on series resolved once, with no
 * wrapper and no promise of its own (so the duration it records is not a get's). Its distance to
 * bare Keyv is the floor under a get that is timed on every call.
 */
serveCacheApp(async () => {
  const cache = new Keyv();
  const context = { packageName: 'bench', remedy: 'none' };
  const registry = new Registry();
  const labelNames = ['backend', 'cache', 'command'];
  const labels = ['keyv', 'bench', 'get'];
  const calls = SeriesCounter.define(
    { name: 'floor_calls_total', help: 'h', labelNames, registry },
    context,
  ).series(labels);
  const duration = SeriesHistogram.define(
    {
      name: 'floor_seconds',
      help: 'h',
      labelNames,
      registry,
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
    },
    context,
  ).series(labels);
  const seconds = () => {
    const time = hrtime();
    return time[0] + time[1] / 1e9;
  };
  return {
    fill: (key, value) => cache.set(key, value),
    // Recorded around the call's synchronous part: the same work a timed get does, without the
    // promise a real one needs to see the reply.
    get: (key) => {
      const startedAt = seconds();
      const pending = cache.get(key);
      calls.inc();
      duration.observe(seconds() - startedAt);
      return pending;
    },
    close: async () => {},
  };
});
