import { serveCacheApp } from './cache-app.mjs';

// The HTTP floor: the same server, answering without a cache call. Subtracted from every
// cache program's count, it leaves the calls' own instructions.
serveCacheApp(async () => ({
  fill: async () => {},
  get: async () => null,
  close: async () => {},
}));
