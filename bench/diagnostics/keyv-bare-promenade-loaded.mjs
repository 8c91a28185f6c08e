import { instrumentKeyv } from '@promenade/cache';
import Keyv from 'keyv';
import { serveCacheApp } from '../cache/cache-app.mjs';

// Bare Keyv in a process that has loaded @promenade/cache (and through it core and prom-client)
// without instrumenting anything: against cache/keyv-bare, what loading the package costs the
// requests, apart from any cache call.
serveCacheApp(async () => {
  if (typeof instrumentKeyv !== 'function') throw new Error('@promenade/cache did not load');
  const cache = new Keyv();
  return { fill: (key, value) => cache.set(key, value), get: (key) => cache.get(key), close: async () => {} };
});
