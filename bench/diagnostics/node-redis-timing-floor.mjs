import { createClient } from 'redis';
import { serveCacheApp } from '../cache/cache-app.mjs';
import { FloorHistogram, monotonicSeconds } from '../lib/floor-histogram.mjs';

/**
 * Bare node-redis plus the least any instrumentation that sees each reply and each failure
 * records per GET, done inline: a clock read, one reaction on the command's promise (node-redis
 * tells a reply or a failure no other way), and in it a second clock read, one counter and one
 * histogram observation. No labels, no hit or miss, no error type. Its distance to bare
 * node-redis is the floor under a GET that is counted and timed on every call.
 */
serveCacheApp(async ({ redisUrl }) => {
  const redis = await createClient({ url: redisUrl }).connect();
  const calls = { value: 0 };
  const duration = new FloorHistogram([0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1]);
  return {
    fill: (key, value) => redis.set(key, value),
    get: (key) => {
      const startedAt = monotonicSeconds();
      const pending = redis.get(key);
      const settled = () => {
        calls.value += 1;
        duration.observe(monotonicSeconds() - startedAt);
      };
      pending.then(settled, settled);
      return pending;
    },
    close: () => redis.close(),
  };
});
