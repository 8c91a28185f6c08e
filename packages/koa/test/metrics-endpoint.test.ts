import { gunzipSync } from 'node:zlib';
import Router from '@koa/router';
import type { KoaMetricsOptions } from '@promenade/koa';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { send } from '../../../test/support/raw-request.js';
import { close, instrumentedApp, koaVersions, lines, listen, newRegistry, settled } from './harness.js';

const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

describe.each(koaVersions)('%s: the /metrics endpoint', (_name, Koa) => {
  function appWith(options: KoaMetricsOptions) {
    const registry = options.registry ?? newRegistry();
    const app = instrumentedApp(Koa, registry, options);
    const router = new Router();
    router.get('/dogs/:id', (ctx) => {
      ctx.body = 'woof';
    });
    app.use(router.routes());
    return { app, registry, server: app.callback() };
  }

  it('serves the text format, and does not count scrapes as traffic', async () => {
    const { registry, server } = appWith({});
    await request(server).get('/dogs/1').expect(200);
    await settled(registry);
    for (let i = 0; i < 3; i++) {
      const scrape = await request(server).get('/metrics').expect(200);
      expect(scrape.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(scrape.headers['cache-control']).toBe('no-store');
      expect(scrape.text).toContain(
        'http_request_duration_seconds_count{method="GET",route="/dogs/:id",status_code="200"} 1\n',
      );
    }
    await request(server).get('/metrics?debug=1').expect(200);
    expect(await lines(registry, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/dogs/:id",status_code="200"} 1',
    ]);
  });

  it('negotiates OpenMetrics and gzip, answers HEAD with the headers of a GET, and other methods with 405', async () => {
    const { app, registry, server } = appWith({});
    await request(server).get('/dogs/1').expect(200);
    await settled(registry);
    const open = await request(server)
      .get('/metrics')
      .set('accept', 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5')
      .expect(200);
    expect(open.headers['content-type']).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(open.text.endsWith('# EOF\n')).toBe(true);
    const { server: listening, url } = await listen(app);
    try {
      const zipped = await send(`${url}/metrics`, { headers: { 'accept-encoding': 'gzip' } });
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(zipped.body).toString()).toContain('http_request_duration_seconds_count{');
    } finally {
      await close(listening);
    }
    const full = await request(server).get('/metrics').set('accept-encoding', 'identity').expect(200);
    const head = await request(server).head('/metrics').set('accept-encoding', 'identity').expect(200);
    expect(Number(full.headers['content-length'])).toBe(Buffer.byteLength(full.text));
    expect(head.headers['content-length']).toBe(full.headers['content-length']);
    expect(head.text).toBeUndefined();
    const post = await request(server).post('/metrics').expect(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expect(await lines(registry, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/dogs/:id",status_code="200"} 1',
    ]);
  });

  it('asks for basic credentials, and compares them', async () => {
    const { server } = appWith({ auth: { username: 'prom', password: 'secret' } });
    const refused = await request(server).get('/metrics').expect(401);
    expect(refused.headers['www-authenticate']).toBe('Basic realm="metrics", charset="UTF-8"');
    await request(server).get('/metrics').set('authorization', basic('prom:wrong')).expect(401);
    await request(server).get('/metrics').set('authorization', basic('prom:secret')).expect(200);
  });

  it('asks for a bearer token, and compares it', async () => {
    const { server } = appWith({ auth: { token: 't0ken' } });
    const refused = await request(server).get('/metrics').expect(401);
    expect(refused.headers['www-authenticate']).toMatch(/^Bearer/);
    await request(server).get('/metrics').set('authorization', 'Bearer nope').expect(401);
    await request(server).get('/metrics').set('authorization', 'Bearer t0ken').expect(200);
  });

  it('serves another path, or none: then /metrics is traffic like any other', async () => {
    const moved = appWith({ metricsPath: '/ops/metrics' });
    await request(moved.server).get('/ops/metrics').expect(200);
    await request(moved.server).get('/metrics').expect(404);
    const none = appWith({ metricsPath: false });
    await request(none.server).get('/metrics').expect(404);
    expect(await lines(none.registry, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="404"} 1',
    ]);
  });
});
