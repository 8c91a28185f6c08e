import { instrumentKeyv } from '@promenade/cache';
import Keyv from 'keyv';
import { serveCacheApp } from './cache-app.mjs';

// The HTTP floor of the Promenade programs: the same server answering without a cache call, in a
// process that has loaded @promenade/cache (core and prom-client with it) and instrumented a
// cache it never calls. Loading that code moves what Node's HTTP code costs every request
// (bench/RESULTS.md, "Instructions per cache call"); subtracted from a Promenade program's count,
// it leaves the calls' own instructions, as the plain floor does for the bare programs.
serveCacheApp(async () => {
  instrumentKeyv(new Keyv(), { name: 'bench' });
  return { fill: async () => {}, get: async () => null, close: async () => {} };
});
