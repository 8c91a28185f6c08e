import { metricValue, scrape } from '@promenade/core/testing';
import type { Registry } from 'prom-client';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import {
  close,
  expressVersions,
  getAll,
  instrumentedApp,
  lines,
  listen,
  newRegistry,
  settled,
} from './harness.js';

const ok = (_req: unknown, res: { send(body: string): void }) => res.send('ok');

async function routesOf(registry: Registry): Promise<string[]> {
  const found = (await lines(registry, 'http_request_duration_seconds_count')).map(
    (line) => /route="([^"]*)"/.exec(line)![1]!,
  );
  return [...new Set(found)].sort();
}

describe.each(expressVersions)('%s: route labels', (name, express) => {
  it('joins the mount paths of nested routers, a router root and sub-apps', async () => {
    const registry = newRegistry();
    const app = instrumentedApp(express, registry);
    const api = express.Router();
    const v1 = express.Router();
    v1.get('/cats/:name', ok);
    api.use('/v1', v1);
    api.get('/', ok);
    app.use('/api', api);
    const admin = express();
    const reports = express.Router();
    reports.get('/:year', ok);
    admin.use('/reports', reports);
    admin.get('/users/:id', ok);
    app.use('/admin', admin);

    await request(app).get('/api/v1/cats/tom').expect(200);
    await request(app).get('/api').expect(200);
    await request(app).get('/api/').expect(200);
    await request(app).get('/admin/users/3').expect(200);
    await request(app).get('/admin/reports/2024').expect(200);
    expect(await routesOf(registry)).toEqual([
      '/admin/reports/:year',
      '/admin/users/:id',
      '/api',
      '/api/v1/cats/:name',
    ]);
  });

  it('names the route of an error raised in a nested router, whose base URL Express restores on the way out', async () => {
    const registry = newRegistry();
    const app = instrumentedApp(express, registry);
    const api = express.Router();
    const walks = express.Router();
    walks.get('/:id', (_req, _res, next) => next(new Error('lost')));
    api.use('/walks', walks);
    app.use('/api', api);
    app.use(
      (
        _error: unknown,
        req: { baseUrl: string },
        res: { status(code: number): { send(body: string): void } },
        _next: unknown,
      ) => {
        res.status(503).send(`base ${req.baseUrl || '(none)'}`);
      },
    );
    await request(app).get('/api/walks/12').expect(503, 'base (none)');
    expect(await lines(registry, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/api/walks/:id",status_code="503"} 1',
    ]);
  });

  it('turns parameters of a mount path back into names for a router that merges them', async () => {
    const registry = newRegistry();
    const app = instrumentedApp(express, registry);
    const posts = express.Router({ mergeParams: true });
    posts.use((_req, _res, next) => next());
    posts.get('/:postId', ok);
    posts.get('/', ok);
    app.use('/users/:userId/posts', posts);
    for (const user of ['1', '2', 'ann', '4%205']) {
      await request(app).get(`/users/${user}/posts/9`).expect(200);
      await request(app).get(`/users/${user}/posts`).expect(200);
    }
    expect(await routesOf(registry)).toEqual(['/users/:userId/posts', '/users/:userId/posts/:postId']);
  });

  it('labels RegExp and array paths with a readable string', async () => {
    const registry = newRegistry();
    const app = instrumentedApp(express, registry);
    const pattern = /^\/files\/(\d+)$/;
    app.get(pattern, ok);
    app.get(['/dog', '/hound'], ok);
    await request(app).get('/files/42').expect(200);
    await request(app).get('/hound').expect(200);
    await settled(registry);
    expect(
      await metricValue(registry, 'http_request_duration_seconds_count', { route: String(pattern) }),
    ).toBe(1);
    expect(await metricValue(registry, 'http_request_duration_seconds_count', { route: '/dog,/hound' })).toBe(
      1,
    );
  });

  it('keeps the path syntax as written', async () => {
    const registry = newRegistry();
    const app = instrumentedApp(express, registry);
    if (name === 'express 5') {
      app.get('/files/*splat', ok);
      app.get('/items{/:id}', ok);
    } else {
      app.get('/files/*', ok);
      app.get('/items/:id?', ok);
    }
    await request(app).get('/files/a/b/c').expect(200);
    await request(app).get('/items').expect(200);
    await request(app).get('/items/3').expect(200);
    expect(await routesOf(registry)).toEqual(
      name === 'express 5' ? ['/files/*splat', '/items{/:id}'] : ['/files/*', '/items/:id?'],
    );
  });

  it('keeps the route of a handler that passed the request on, and gives <unmatched> to a request no route matched', async () => {
    const registry = newRegistry();
    const app = instrumentedApp(express, registry);
    app.get('/dogs/:id', (_req, _res, next) => next());
    app.use((_req: unknown, res: { status(code: number): { send(body: string): void } }) => {
      res.status(404).send('none');
    });
    await request(app).get('/dogs/1').expect(404);
    await request(app).get('/cats/1').expect(404);
    expect(await lines(registry, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/dogs/:id",status_code="404"} 1',
      'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="404"} 1',
    ]);
  });

  it('leaves req.route readable by the application', async () => {
    const registry = newRegistry();
    const app = instrumentedApp(express, registry);
    app.get('/dogs/:id', (req, res) => {
      res.send(String(req.route.path));
    });
    await request(app).get('/dogs/1').expect(200, '/dogs/:id');
    // An app without the middleware keeps req.route as a plain property.
    const bare = express();
    bare.get('/cats/:id', (req, res) => {
      res.json({ path: req.route.path, own: Object.hasOwn(req, 'route') });
    });
    await request(bare).get('/cats/1').expect(200, { path: '/cats/:id', own: true });
  });

  // 10,000 real HTTP requests: seconds on a quiet machine, more under a loaded CI run.
  it('keeps 10,000 distinct unmatched URLs in the series that one of them created', {
    timeout: 60_000,
  }, async () => {
    const registry = newRegistry();
    const { server } = await listen(instrumentedApp(express, registry));
    const seriesCount = async () =>
      (await scrape(registry)).split('\n').filter((line) => line && !line.startsWith('#')).length;
    await getAll(server, ['/missing/0']);
    await settled(registry);
    const before = await seriesCount();
    const paths = Array.from({ length: 10_000 }, (_, i) => `/missing/${i + 1}?q=${i}`);
    expect(await getAll(server, paths)).toBe(10_000);
    await settled(registry);
    expect(await seriesCount()).toBe(before);
    expect(await lines(registry, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="404"} 10001',
    ]);
    await close(server);
  });
});
