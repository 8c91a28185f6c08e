import { instrumentKeyv } from '@promenade/cache';
import Keyv from 'keyv';
import { serveCacheApp } from './cache-app.mjs';

// The in-memory cache with `latency: true`: every get wrapped and timed, what the option costs.
serveCacheApp(async () => {
  const cache = instrumentKeyv(new Keyv(), { name: 'bench', latency: true });
  return { fill: (key, value) => cache.set(key, value), get: (key) => cache.get(key), close: async () => {} };
});
