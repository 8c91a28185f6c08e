import http from 'node:http';
import { serveBenchApp } from '../lib/child.mjs';

/**
 * The calls each request makes: enough that the cache's share of a request dominates it, so
 * that the count per call, (program - HTTP floor) / CALLS, is not the small difference of two
 * large numbers.
 */
export const CALLS_PER_REQUEST = 10;

/**
 * An HTTP server whose `GET /dogs/<id>` makes CALLS_PER_REQUEST gets, one after the other,
 * through `get(key)`: of keys that exist for even ids (hits) and not for odd ones (misses), as
 * a cache sees both. The bench's load (bench/lib/fixed-load.mjs) drives every program through
 * HTTP, so the cache programs are servers too; the floor program (http-floor.mjs) makes no call,
 * and its count is subtracted from every other's.
 *
 * `open(config)` resolves with `{ get(key), fill(key, value), close() }`.
 */
export function serveCacheApp(open) {
  serveBenchApp(async (config) => {
    const cache = await open(config);
    // Keys of every even id: half the gets hit.
    for (let id = 0; id < 1000; id += 2) await cache.fill(`dog:${id}`, `{"id":"${id}"}`);
    const server = http.createServer(async (req, res) => {
      const key = `dog:${req.url.slice('/dogs/'.length)}`;
      let found = 0;
      for (let call = 0; call < CALLS_PER_REQUEST; call++) if ((await cache.get(key)) != null) found++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"found":${found}}`);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      server,
      port: server.address().port,
      close: async () => {
        await cache.close();
        await new Promise((resolve) => server.close(resolve));
      },
    };
  });
}
