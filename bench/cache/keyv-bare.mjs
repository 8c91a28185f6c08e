import Keyv from 'keyv';
import { serveCacheApp } from './cache-app.mjs';

// Keyv on its in-memory Map.
serveCacheApp(async () => {
  const cache = new Keyv();
  return { fill: (key, value) => cache.set(key, value), get: (key) => cache.get(key), close: async () => {} };
});
