import { metricsMiddleware } from '@promenade/express';
import express from 'express';
import secondExpress from 'express-second-copy';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { closed, send, series } from './support.js';

/**
 * Two copies of Express in one process, as a monorepo's hoisting accident leaves them: the
 * application's Express and another one that a package of its own brought along. Promenade
 * hooks each copy's prototypes once, the first time a request of that copy reaches it.
 */
async function serve(app: ReturnType<typeof express>, paths: string[]): Promise<number[]> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const statuses: number[] = [];
    for (const path of paths) statuses.push((await send(`${url}${path}`)).status);
    return statuses;
  } finally {
    await closed(server);
  }
}

const routeHook = (copy: { request: object }) => Object.getOwnPropertyDescriptor(copy.request, 'route')?.get;

describe('two copies of Express in one process', () => {
  it('are two copies, each hooked once, each app recording its own requests once', async () => {
    // Compared by identity: printing a request prototype would run its getters.
    expect(secondExpress === express).toBe(false);
    expect(secondExpress.request === express.request).toBe(false);
    const registries = [new Registry(), new Registry()];
    const apps = [express(), secondExpress()];
    apps.forEach((app, index) => {
      app.use(metricsMiddleware({ registry: registries[index], defaultMetrics: false }));
      app.get('/dogs/:id', (_req, res) => {
        res.json({ copy: index });
      });
    });
    expect(await serve(apps[0]!, ['/dogs/1', '/dogs/2'])).toEqual([200, 200]);
    expect(await serve(apps[1]!, ['/dogs/3'])).toEqual([200]);
    const hooks = [routeHook(express), routeHook(secondExpress)];
    expect(hooks.every((hook) => typeof hook === 'function')).toBe(true);
    // Hooked once: more apps and requests leave the same accessor in place.
    const more = secondExpress();
    more.use(metricsMiddleware({ registry: new Registry(), defaultMetrics: false }));
    more.get('/cats', (_req, res) => {
      res.send('meow');
    });
    expect(await serve(more, ['/cats'])).toEqual([200]);
    expect(routeHook(express) === hooks[0] && routeHook(secondExpress) === hooks[1]).toBe(true);
    expect(await series(registries[0]!, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/dogs/:id",status_code="200"} 2',
    ]);
    expect(await series(registries[1]!, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/dogs/:id",status_code="200"} 1',
    ]);
  });

  it("records once, under the full template, a sub-app and a router of the other copy mounted in the application's app", async () => {
    const registry = new Registry();
    const app = express();
    app.use(metricsMiddleware({ registry, defaultMetrics: false }));
    // A package's sub-app, built with its own Express and its own Promenade middleware.
    const admin = secondExpress();
    admin.use(metricsMiddleware({ registry, defaultMetrics: false }));
    admin.get('/users/:id', (_req, res) => {
      res.json({ admin: true });
    });
    admin.get('/boom', () => {
      throw new TypeError('boom');
    });
    app.use('/admin', admin);
    const reports = secondExpress.Router();
    reports.get('/:year', (_req, res) => {
      res.json({ year: 2026 });
    });
    app.use('/reports', reports);
    expect(await serve(app, ['/admin/users/7', '/admin/boom', '/reports/2026', '/nowhere'])).toEqual([
      200, 500, 200, 404,
    ]);
    expect(await series(registry, 'http_request_duration_seconds_count', 'http_exceptions_total')).toEqual([
      'http_exceptions_total{method="GET",route="/admin/boom",type="TypeError"} 1',
      'http_request_duration_seconds_count{method="GET",route="/admin/boom",status_code="500"} 1',
      'http_request_duration_seconds_count{method="GET",route="/admin/users/:id",status_code="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="/reports/:year",status_code="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="404"} 1',
    ]);
  });

  it('records a sub-app of the other copy that has no Promenade middleware of its own', async () => {
    const registry = new Registry();
    const app = express();
    app.use(metricsMiddleware({ registry, defaultMetrics: false }));
    const admin = secondExpress();
    admin.get('/users/:id', (_req, res) => {
      res.json({ admin: true });
    });
    app.use('/admin', admin);
    expect(await serve(app, ['/admin/users/7', '/admin/users/8'])).toEqual([200, 200]);
    expect(
      await series(registry, 'http_request_duration_seconds_count', 'http_response_size_bytes_sum'),
    ).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/admin/users/:id",status_code="200"} 2',
      'http_response_size_bytes_sum{method="GET",route="/admin/users/:id"} 28',
    ]);
  });
});
