import { gunzipSync } from 'node:zlib';
import { startMetricsServer } from '@promenade/core';
import { metricValue } from '@promenade/core/testing';
import { metricsMiddleware } from '@promenade/express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { send } from '../../../test/support/raw-request.js';
import { close, expressVersions, lines, listen, newRegistry, settled } from './harness.js';

const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

describe.each(expressVersions)('%s: the /metrics endpoint', (_name, express) => {
  function appWith(options: Parameters<typeof metricsMiddleware>[0]) {
    const app = express();
    app.use(metricsMiddleware({ defaultMetrics: false, ...options }));
    app.get('/dogs/:id', (_req, res) => {
      res.send('woof');
    });
    return app;
  }

  it('serves the text format, and does not count scrapes as traffic', async () => {
    const registry = newRegistry();
    const app = appWith({ registry });
    await request(app).get('/dogs/1').expect(200);
    await settled(registry);
    for (let i = 0; i < 3; i++) {
      const scrape = await request(app).get('/metrics').expect(200);
      expect(scrape.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(scrape.text).toContain(
        'http_request_duration_seconds_count{method="GET",route="/dogs/:id",status_code="200"} 1\n',
      );
    }
    await request(app).get('/metrics?debug=1').expect(200);
    expect(await lines(registry, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/dogs/:id",status_code="200"} 1',
    ]);
  });

  it('negotiates OpenMetrics and gzip, and answers HEAD with headers only', async () => {
    const registry = newRegistry();
    const app = appWith({ registry });
    await request(app).get('/dogs/1').expect(200);
    await settled(registry);
    const open = await request(app)
      .get('/metrics')
      .set('accept', 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5')
      .expect(200);
    expect(open.headers['content-type']).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(open.text.endsWith('# EOF\n')).toBe(true);
    // A raw client, so that the body arrives as the bytes on the wire.
    const { server, url } = await listen(app);
    const zipped = await send(`${url}/metrics`, { headers: { 'accept-encoding': 'gzip' } });
    await close(server);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body).toString()).toContain('route="/dogs/:id"');
    const head = await request(app).head('/metrics').expect(200);
    expect(head.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    expect(head.text).toBeUndefined();
    await request(app).post('/metrics').expect(405).expect('allow', 'GET, HEAD');
  });

  it('protects /metrics with basic auth: 401 and a challenge unless the credentials are right', async () => {
    const app = appWith({ registry: newRegistry(), auth: { username: 'prometheus', password: 's3cret' } });
    const challenge = 'Basic realm="metrics", charset="UTF-8"';
    await request(app).get('/metrics').expect(401).expect('www-authenticate', challenge);
    await request(app).get('/metrics').set('authorization', basic('prometheus:wrong')).expect(401);
    await request(app)
      .get('/metrics')
      .set('authorization', 'Basic !!!')
      .expect(401)
      .expect('www-authenticate', challenge);
    await request(app).get('/metrics').set('authorization', 'Basic').expect(401);
    await request(app).get('/metrics').set('authorization', 'Bearer s3cret').expect(401);
    await request(app).get('/metrics').set('authorization', basic('prometheus:s3cret')).expect(200);
  });

  it('protects /metrics with a bearer token: 401 and a challenge unless the token is right', async () => {
    const app = appWith({ registry: newRegistry(), auth: { token: 'tok-123' } });
    const challenge = 'Bearer realm="metrics"';
    await request(app).get('/metrics').expect(401).expect('www-authenticate', challenge);
    await request(app).get('/metrics').set('authorization', 'Bearer wrong').expect(401);
    await request(app)
      .get('/metrics')
      .set('authorization', 'Bearer')
      .expect(401)
      .expect('www-authenticate', challenge);
    await request(app).get('/metrics').set('authorization', 'Bearer ').expect(401);
    await request(app).get('/metrics').set('authorization', basic('tok-123:')).expect(401);
    await request(app).get('/metrics').set('authorization', 'Bearer tok-123').expect(200);
  });

  it('serves on a custom metricsPath, relative to where the middleware is mounted', async () => {
    const registry = newRegistry();
    const app = appWith({ registry, metricsPath: '/internal/metrics' });
    await request(app).get('/internal/metrics').expect(200);
    await request(app).get('/metrics').expect(404);
    expect(await lines(registry, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="404"} 1',
    ]);
    const mounted = express();
    mounted.use('/ops', metricsMiddleware({ registry: newRegistry(), defaultMetrics: false }));
    await request(mounted).get('/ops/metrics').expect(200);
  });

  it('serves nothing with metricsPath: false, so core can serve the registry elsewhere', async () => {
    const registry = newRegistry();
    const app = appWith({ registry, metricsPath: false });
    await request(app).get('/dogs/1').expect(200);
    await request(app).get('/metrics').expect(404);
    await settled(registry);
    const metricsServer = await startMetricsServer({ registry, port: 0, host: '127.0.0.1' });
    try {
      const text = await (await fetch(metricsServer.url)).text();
      expect(text).toContain(
        'http_request_duration_seconds_count{method="GET",route="/dogs/:id",status_code="200"} 1',
      );
      expect(text).toContain(
        'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="404"} 1',
      );
    } finally {
      await metricsServer.stop();
    }
  });

  it('collects the default process metrics unless told not to', async () => {
    const registry = newRegistry();
    const app = express();
    app.use(metricsMiddleware({ registry }));
    const text = (await request(app).get('/metrics').expect(200)).text;
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(await metricValue(registry, 'nodejs_eventloop_lag_seconds')).toBeTypeOf('number');
  });
});
