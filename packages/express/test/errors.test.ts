import type { NextFunction, Request, Response } from 'express';
import express5 from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { expressVersions, instrumentedApp, lines, newRegistry } from './harness.js';

class WalkError extends Error {
  override name = 'WalkError';
  constructor(readonly status: number) {
    super('the walk failed');
  }
}

/** An error handler that answers with the error's status, as apps usually have one. */
function answerWithStatus(error: { status?: number }, _req: Request, res: Response, _next: NextFunction) {
  res.status(error.status ?? 500).send('sorry');
}

describe.each(expressVersions)('%s: errors', (_name, express) => {
  it('counts a thrown error and a next(err) by type, with the status the error handler set', async () => {
    const registry = newRegistry();
    const app = instrumentedApp(express, registry);
    app.get('/throw', () => {
      throw new WalkError(418);
    });
    app.get('/next', (_req, _res, next) => next(new WalkError(503)));
    app.get('/string', (_req, _res, next) => next('just a string'));
    app.use(answerWithStatus);
    await request(app).get('/throw').expect(418);
    await request(app).get('/next').expect(503);
    await request(app).get('/string').expect(500);
    expect(await lines(registry, 'http_exceptions_total')).toEqual([
      'http_exceptions_total{method="GET",route="/next",type="WalkError"} 1',
      'http_exceptions_total{method="GET",route="/string",type="string"} 1',
      'http_exceptions_total{method="GET",route="/throw",type="WalkError"} 1',
    ]);
    expect(await lines(registry, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/next",status_code="503"} 1',
      'http_request_duration_seconds_count{method="GET",route="/string",status_code="500"} 1',
      'http_request_duration_seconds_count{method="GET",route="/throw",status_code="418"} 1',
    ]);
  });

  it('counts an error that no handler answers, with the final handler status', async () => {
    const registry = newRegistry();
    const app = instrumentedApp(express, registry);
    app.get('/unanswered', (_req, _res, next) => next(new WalkError(502)));
    await request(app).get('/unanswered').expect(502);
    expect(await lines(registry, 'http_exceptions_total')).toEqual([
      'http_exceptions_total{method="GET",route="/unanswered",type="WalkError"} 1',
    ]);
    expect(await lines(registry, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/unanswered",status_code="502"} 1',
    ]);
  });

  it('sees errors answered inside a nested router, at route level and in a sub-app', async () => {
    const registry = newRegistry();
    const app = instrumentedApp(express, registry);
    const api = express.Router();
    api.get('/dogs/:id', (_req, _res, next) => next(new WalkError(404)));
    api.use(answerWithStatus);
    app.use('/api', api);
    app.get(
      '/route-level',
      () => {
        throw new RangeError('too far');
      },
      answerWithStatus,
    );
    const admin = express();
    admin.get('/users/:id', (_req, _res, next) => next(new WalkError(403)));
    admin.use(answerWithStatus);
    app.use('/admin', admin);
    await request(app).get('/api/dogs/1').expect(404);
    await request(app).get('/route-level').expect(500);
    await request(app).get('/admin/users/1').expect(403);
    expect(await lines(registry, 'http_exceptions_total')).toEqual([
      'http_exceptions_total{method="GET",route="/admin/users/:id",type="WalkError"} 1',
      'http_exceptions_total{method="GET",route="/api/dogs/:id",type="WalkError"} 1',
      'http_exceptions_total{method="GET",route="/route-level",type="RangeError"} 1',
    ]);
  });

  it('counts an error once as it passes through several error handlers, and each new error it turns into', async () => {
    const registry = newRegistry();
    const app = instrumentedApp(express, registry);
    app.get('/dogs/:id', () => {
      throw new TypeError('no collar');
    });
    app.get('/cats/:id', () => {
      throw new TypeError('no cat');
    });
    const logged: unknown[] = [];
    app.use((error: unknown, _req: Request, _res: Response, next: NextFunction) => {
      logged.push(error);
      next(error);
    });
    app.use('/cats', (_error: unknown, _req: Request, _res: Response, next: NextFunction) => {
      next(new WalkError(500));
    });
    app.use(answerWithStatus);
    await request(app).get('/dogs/1').expect(500);
    await request(app).get('/cats/1').expect(500);
    expect(logged).toHaveLength(2);
    expect(await lines(registry, 'http_exceptions_total')).toEqual([
      'http_exceptions_total{method="GET",route="/cats/:id",type="TypeError"} 1',
      'http_exceptions_total{method="GET",route="/cats/:id",type="WalkError"} 1',
      'http_exceptions_total{method="GET",route="/dogs/:id",type="TypeError"} 1',
    ]);
  });

  it('counts an error raised by a middleware before any route matched as <unmatched>', async () => {
    const registry = newRegistry();
    const app = instrumentedApp(express, registry);
    app.use((req, _res, next) => next(req.headers.authorization ? undefined : new WalkError(401)));
    app.get('/dogs', (_req, res) => {
      res.send('dogs');
    });
    app.use(answerWithStatus);
    await request(app).get('/dogs').expect(401);
    expect(await lines(registry, 'http_exceptions_total')).toEqual([
      'http_exceptions_total{method="GET",route="<unmatched>",type="WalkError"} 1',
    ]);
  });

  it('keeps the error handlers working as before', async () => {
    const registry = newRegistry();
    const app = instrumentedApp(express, registry);
    app.get('/dogs', () => {
      throw new WalkError(409);
    });
    app.use(function namedHandler(error: WalkError, _req: Request, res: Response, next: NextFunction) {
      if (error.status === 409) res.status(409).json({ handled: true, status: error.status });
      else next(error);
    });
    await request(app).get('/dogs').expect(409, { handled: true, status: 409 });
    await request(app).get('/dogs').expect(409, { handled: true, status: 409 });
    expect(await lines(registry, 'http_exceptions_total')).toEqual([
      'http_exceptions_total{method="GET",route="/dogs",type="WalkError"} 2',
    ]);
  });
});

// Express 4 does not catch rejected promises: a rejecting handler there never answers.
it('express 5: counts an async handler that rejects', async () => {
  const registry = newRegistry();
  const app = instrumentedApp(express5, registry);
  app.get('/async', async () => {
    await Promise.resolve();
    throw new SyntaxError('bad bark');
  });
  await request(app).get('/async').expect(500);
  expect(await lines(registry, 'http_exceptions_total')).toEqual([
    'http_exceptions_total{method="GET",route="/async",type="SyntaxError"} 1',
  ]);
  expect(await lines(registry, 'http_request_duration_seconds_count')).toEqual([
    'http_request_duration_seconds_count{method="GET",route="/async",status_code="500"} 1',
  ]);
});
