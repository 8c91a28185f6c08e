import type { IncomingMessage, ServerResponse } from 'node:http';
import { metricsMiddleware } from '@promenade/express';
import { describe, expect, it } from 'vitest';
// Core's side table and the Express lifecycle's state, read from inside core.
import {
  type ExpressRequest,
  expressRequestOf,
} from '../../core/src/frameworks/express/express-lifecycle.js';
import { tableObserverOf as inFlightRequestOf } from '../../core/src/http/response-observer.js';
import { close, expressVersions, getAll, listen, newRegistry, settled } from './harness.js';

describe.each(expressVersions)('%s: per-request state', (_name, express) => {
  it('exists while the request is served, and is dropped when the response closes: answered, failed or abandoned', async () => {
    const registry = newRegistry();
    const app = express();
    app.use(metricsMiddleware({ registry, defaultMetrics: false }));
    const seen: [IncomingMessage, ServerResponse][] = [];
    const during: [ExpressRequest | undefined, unknown][] = [];
    app.use((req, res, next) => {
      seen.push([req, res]);
      during.push([expressRequestOf(req), inFlightRequestOf(res)]);
      next();
    });
    app.get('/ok', (_req, res) => {
      res.send('ok');
    });
    app.get('/fail', () => {
      throw new Error('no');
    });
    app.get('/hang', (_req, res) => {
      res.write('partial');
    });
    const { server, url } = await listen(app);
    expect(await getAll(server, ['/ok', '/fail', '/missing'])).toBe(3);
    await new Promise<void>((resolve) => {
      const controller = new AbortController();
      fetch(`${url}/hang`, { signal: controller.signal })
        .then(() => controller.abort())
        .catch(() => {})
        .finally(resolve);
    });
    await settled(registry);
    expect(seen).toHaveLength(4);
    // While served, each request had its state, found by its request and by its response.
    seen.forEach(([req, res], i) => {
      const [byRequest, byResponse] = during[i]!;
      expect(byRequest?.req).toBe(req);
      expect(byRequest?.res).toBe(res);
      expect(byResponse).toBe(byRequest);
    });
    for (const [req, res] of seen) {
      expect(expressRequestOf(req)).toBeUndefined();
      expect(inFlightRequestOf(res)).toBeUndefined();
    }
    await close(server);
  });
});
