import type { Server } from 'node:http';
import { metricsMiddleware } from '@promenade/express';
import compression from 'compression';
import cors from 'cors';
import express, { type ErrorRequestHandler } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closed, LARGE_JSON, type RawResponse, send, series } from './support.js';

declare module 'express-session' {
  interface SessionData {
    visits: number;
  }
}

/**
 * Promenade first, then the middleware an Express service usually runs, each set up as its
 * own documentation says, on a real server. Each one's own effect is checked beside
 * Promenade's series.
 */
function dogWalkerApp(registry: Registry) {
  const app = express();
  app.use(metricsMiddleware({ registry, defaultMetrics: false }));
  app.use(helmet());
  app.use(cors({ origin: 'https://dogs.example' }));
  app.use(compression());
  app.use(session({ secret: 'walkies', resave: false, saveUninitialized: false }));
  app.use(express.json({ limit: '1kb' }));

  app.get('/dogs', (_req, res) => {
    res.json(LARGE_JSON);
  });
  app.get('/kennels', (_req, res) => {
    res.json(LARGE_JSON);
  });
  app.post('/walks', (req, res) => {
    res.status(201).json({ walk: req.body });
  });
  app.post('/visits', (req, res) => {
    req.session.visits = (req.session.visits ?? 0) + 1;
    res.json({ visits: req.session.visits });
  });
  app.get('/boom', () => {
    throw new TypeError('boom');
  });

  const v2 = express();
  v2.get('/dogs/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  app.use('/v2', v2);

  const dogs = express.Router();
  dogs.get('/:dogId', (req, res) => {
    res.json({ dog: req.params.dogId });
  });
  app.use('/users/:userId/dogs', dogs);

  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    res.status((error as { status?: number }).status ?? 500).json({ error: (error as Error).name });
  };
  app.use(onError);
  return app;
}

describe('Express with helmet, cors, compression, express-session, express.json, a sub-app and a parameterised mount', () => {
  const registry = new Registry();
  let server: Server;
  let url: string;
  const got: Record<string, RawResponse> = {};

  beforeAll(async () => {
    server = dogWalkerApp(registry).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const json = { 'content-type': 'application/json' };
    got.gzip = await send(`${url}/dogs`, { headers: { 'accept-encoding': 'gzip' } });
    got.identity = await send(`${url}/kennels`);
    got.preflight = await send(`${url}/walks`, {
      method: 'OPTIONS',
      headers: { origin: 'https://dogs.example', 'access-control-request-method': 'POST' },
    });
    got.walk = await send(`${url}/walks`, { method: 'POST', headers: json, body: '{"dog":"Rex"}' });
    got.malformed = await send(`${url}/walks`, { method: 'POST', headers: json, body: '{"dog":' });
    got.oversized = await send(`${url}/walks`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ dog: 'x'.repeat(2048) }),
    });
    got.firstVisit = await send(`${url}/visits`, { method: 'POST' });
    const cookie = String(got.firstVisit.headers['set-cookie']?.[0]).split(';')[0]!;
    got.secondVisit = await send(`${url}/visits`, { method: 'POST', headers: { cookie } });
    got.boom = await send(`${url}/boom`);
    got.subApp = await send(`${url}/v2/dogs/7`);
    got.mounted = await send(`${url}/users/42/dogs/9`);
  });

  afterAll(() => closed(server));

  it('each middleware still does its job', () => {
    expect(got.gzip!.headers['content-encoding']).toBe('gzip');
    expect(got.gzip!.headers['x-content-type-options']).toBe('nosniff');
    expect(got.gzip!.headers['content-security-policy']).toContain("default-src 'self'");
    expect(got.preflight!.status).toBe(204);
    expect(got.preflight!.headers['access-control-allow-origin']).toBe('https://dogs.example');
    expect([got.walk!.status, got.malformed!.status, got.oversized!.status]).toEqual([201, 400, 413]);
    expect(JSON.parse(got.secondVisit!.body.toString())).toEqual({ visits: 2 });
    expect(JSON.parse(got.subApp!.body.toString())).toEqual({ id: '7' });
    expect(JSON.parse(got.mounted!.body.toString())).toEqual({ dog: '9' });
  });

  it('every request is recorded once, under its route template and final status', async () => {
    expect(await series(registry, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/boom",status_code="500"} 1',
      'http_request_duration_seconds_count{method="GET",route="/dogs",status_code="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="/kennels",status_code="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="/users/:userId/dogs/:dogId",status_code="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="/v2/dogs/:id",status_code="200"} 1',
      // cors answers the preflight and express.json rejects the bodies before any route matches.
      'http_request_duration_seconds_count{method="OPTIONS",route="<unmatched>",status_code="204"} 1',
      'http_request_duration_seconds_count{method="POST",route="/visits",status_code="200"} 2',
      'http_request_duration_seconds_count{method="POST",route="/walks",status_code="201"} 1',
      'http_request_duration_seconds_count{method="POST",route="<unmatched>",status_code="400"} 1',
      'http_request_duration_seconds_count{method="POST",route="<unmatched>",status_code="413"} 1',
    ]);
    expect(await series(registry, 'http_exceptions_total')).toEqual([
      'http_exceptions_total{method="GET",route="/boom",type="TypeError"} 1',
      'http_exceptions_total{method="POST",route="<unmatched>",type="PayloadTooLargeError"} 1',
      'http_exceptions_total{method="POST",route="<unmatched>",type="SyntaxError"} 1',
    ]);
    expect(await series(registry, 'http_requests_in_flight')).toEqual(['http_requests_in_flight 0']);
  });

  it('the response size is the body as sent: compressed when compression compressed it', async () => {
    const uncompressed = Buffer.byteLength(JSON.stringify(LARGE_JSON));
    expect(got.gzip!.body.length).toBeLessThan(uncompressed / 5);
    expect(got.identity!.body.length).toBe(uncompressed);
    const sums = await series(registry, 'http_response_size_bytes_sum');
    expect(sums).toContain(
      `http_response_size_bytes_sum{method="GET",route="/dogs"} ${got.gzip!.body.length}`,
    );
    expect(sums).toContain(`http_response_size_bytes_sum{method="GET",route="/kennels"} ${uncompressed}`);
  });

  it('the request size is the body received, rejected ones included', async () => {
    const sums = await series(registry, 'http_request_size_bytes_sum');
    expect(sums).toContain('http_request_size_bytes_sum{method="POST",route="/walks"} 13');
    expect(sums).toContain(
      `http_request_size_bytes_sum{method="POST",route="<unmatched>"} ${7 + JSON.stringify({ dog: 'x'.repeat(2048) }).length}`,
    );
  });
});

describe('compression installed before Promenade', () => {
  it('records the same compressed size: both count what reaches the response', async () => {
    const registry = new Registry();
    const app = express();
    app.use(compression());
    app.use(metricsMiddleware({ registry, defaultMetrics: false }));
    app.get('/dogs', (_req, res) => {
      res.json(LARGE_JSON);
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const gzip = await send(`${url}/dogs`, { headers: { 'accept-encoding': 'gzip' } });
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(await series(registry, 'http_response_size_bytes_sum')).toEqual([
        `http_response_size_bytes_sum{method="GET",route="/dogs"} ${gzip.body.length}`,
      ]);
    } finally {
      await closed(server);
    }
  });
});
