import { instrumentKeyv } from '@promenade/cache';
import Keyv from 'keyv';
import { serveCacheApp } from './cache-app.mjs';

serveCacheApp(async () => {
  const cache = instrumentKeyv(new Keyv(), { name: 'bench' });
  return { fill: (key, value) => cache.set(key, value), get: (key) => cache.get(key), close: async () => {} };
});
