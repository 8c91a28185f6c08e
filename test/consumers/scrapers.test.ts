import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { metricsMiddleware } from '@promenade/express';
import express from 'express';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type PromQueryable,
  type StackDaemon,
  startNginx,
  startPrometheus,
  startVictoriaMetrics,
  writeHtpasswd,
} from '../support/stack.js';

const credentials = { username: 'prometheus', password: 'walkies' };
const token = 'scrape-token-123';

/** A real Express app on a loopback port, instrumented as a user would. */
async function startApp(auth: { username: string; password: string } | { token: string }) {
  const registry = new Registry();
  const app = express();
  app.use(metricsMiddleware({ registry, auth }));
  const dogs = express.Router();
  dogs.get('/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  app.use('/api/dogs', dogs);
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const id of [1, 2, 3]) await fetch(`${base}/api/dogs/${id}`);
  await fetch(`${base}/no/such/page`);
  return { server, base, host: new URL(base).host };
}

describe('real scrapers read a protected Express app', () => {
  const started: { stop(): Promise<void> }[] = [];
  let basicApp: Awaited<ReturnType<typeof startApp>>;
  let bearerApp: Awaited<ReturnType<typeof startApp>>;
  let prometheus: PromQueryable;
  let victoria: PromQueryable;
  let nginx: StackDaemon;

  beforeAll(async () => {
    basicApp = await startApp(credentials);
    bearerApp = await startApp({ token });
    for (const app of [basicApp, bearerApp]) {
      started.push({ stop: () => new Promise<void>((resolve) => app.server.close(() => resolve())) });
    }
    // nginx in front of /metrics, as the deployment docs show: its own auth_basic, forwarding
    // the same Authorization header to the app, which checks it again.
    nginx = await startNginx({
      config: ({ port, dir }) => `server {
  listen 127.0.0.1:${port};
  location = /metrics {
    auth_basic "metrics";
    auth_basic_user_file ${join(dir, 'htpasswd')};
    proxy_pass ${basicApp.base};
  }
  # Answered here, so the start-up probe does not reach the app as traffic.
  location = / { return 204; }
  location /api/ { proxy_pass ${basicApp.base}; }
}`,
    });
    started.push(nginx);
    // nginx reads the password file on every request, so it may be written after the start.
    await writeHtpasswd(join(nginx.dir, 'htpasswd'), credentials.username, credentials.password);
    [prometheus, victoria] = await Promise.all([
      startPrometheus({
        scrapeConfigs: [
          { job_name: 'dogwalker', static_configs: [{ targets: [basicApp.host] }], basic_auth: credentials },
          {
            job_name: 'dogwalker-nginx',
            static_configs: [{ targets: [new URL(nginx.url).host] }],
            basic_auth: credentials,
          },
        ],
      }),
      startVictoriaMetrics({
        scrapeConfigs: [
          {
            job_name: 'dogwalker',
            static_configs: [{ targets: [bearerApp.host] }],
            authorization: { credentials: token },
          },
        ],
      }),
    ]);
    started.push(prometheus, victoria);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(started.map((daemon) => daemon.stop()));
  });

  it('Prometheus scrapes with basic auth and sees route templates, never raw paths', async () => {
    const samples = await prometheus.waitForSamples(
      'sum by (route, status_code) (http_request_duration_seconds_count{job="dogwalker"})',
    );
    const series = Object.fromEntries(
      samples.map((s) => [`${s.metric.route} ${s.metric.status_code}`, s.value]),
    );
    expect(series).toEqual({ '/api/dogs/:id 200': 3, '<unmatched> 404': 1 });
    const up = await prometheus.query('up');
    expect(up.map((s) => [s.metric.job, s.value]).sort()).toEqual([
      ['dogwalker', 1],
      ['dogwalker-nginx', 1],
    ]);
  });

  it('Prometheus computes a latency quantile from the histogram', async () => {
    const [p99] = await prometheus.waitForSamples(
      'histogram_quantile(0.99, sum by (le) (http_request_duration_seconds_bucket{job="dogwalker",route="/api/dogs/:id"}))',
    );
    expect(p99!.value).toBeGreaterThan(0);
    expect(p99!.value).toBeLessThanOrEqual(10);
  });

  it('VictoriaMetrics scrapes with a bearer token', async () => {
    const samples = await victoria.waitForSamples(
      'sum(http_request_duration_seconds_count{route="/api/dogs/:id"})',
    );
    expect(samples[0]!.value).toBe(3);
  });

  it('nginx guards /metrics and forwards the credentials the app checks again', async () => {
    const metricsUrl = `${nginx.url}/metrics`;
    expect((await fetch(metricsUrl)).status).toBe(401);
    const wrong = `Basic ${Buffer.from('prometheus:nope').toString('base64')}`;
    expect((await fetch(metricsUrl, { headers: { authorization: wrong } })).status).toBe(401);
    const right = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
    const response = await fetch(metricsUrl, { headers: { authorization: right } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(
      'http_request_duration_seconds_count{method="GET",route="/api/dogs/:id"',
    );
    expect((await fetch(`${nginx.url}/api/dogs/9`)).status).toBe(200);
  });
});
