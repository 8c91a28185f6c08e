import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import Router from '@koa/router';
import type { Registry } from 'prom-client';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { close, instrumentedApp, type KoaClass, koaVersions, lines, listen, newRegistry } from './harness.js';

/** Lets held requests go when the test says so, and tells when one has arrived. */
function gate() {
  const held: (() => void)[] = [];
  let arrived: () => void = () => {};
  const arrival = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  return {
    arrival,
    hold: () =>
      new Promise<void>((resolve) => {
        held.push(resolve);
        arrived();
      }),
    release: () => {
      for (const resolve of held.splice(0)) resolve();
    },
  };
}

async function leaveWhileHeld(url: string, arrival: Promise<void>): Promise<void> {
  const req = httpRequest(url);
  req.on('error', () => {});
  req.end();
  await arrival;
  req.destroy();
}

async function until(registry: Registry, line: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await lines(registry, line.split('{')[0] as string)).includes(line)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never seen: ${line}`);
}

describe.each(koaVersions)('%s: clients that leave, and errors', (_name, Koa: KoaClass) => {
  it('records a client that left as 499 under its route, or <unmatched> when it left before routing', async () => {
    const registry = newRegistry();
    const app = instrumentedApp(Koa, registry);
    const inRoute = gate();
    const beforeRouting = gate();
    // What an authentication middleware ahead of the routes does: holds some requests a while.
    app.use(async (ctx, next) => {
      if (ctx.path === '/held') await beforeRouting.hold();
      await next();
    });
    const router = new Router();
    router.get('/walks/:id', async (ctx) => {
      await inRoute.hold();
      ctx.body = 'late';
    });
    app.use(router.routes());
    const { server, url } = await listen(app);
    try {
      await leaveWhileHeld(`${url}/walks/1`, inRoute.arrival);
      await until(
        registry,
        'http_request_duration_seconds_count{method="GET",route="/walks/:id",status_code="499"} 1',
      );
      inRoute.release();
      await leaveWhileHeld(`${url}/held`, beforeRouting.arrival);
      await until(
        registry,
        'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="499"} 1',
      );
      beforeRouting.release();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await lines(registry, 'http_request_duration_seconds_count')).toEqual([
        'http_request_duration_seconds_count{method="GET",route="/walks/:id",status_code="499"} 1',
        'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="499"} 1',
      ]);
      // How much of a response reached a client that left is unknown: no response size.
      expect(await lines(registry, 'http_response_size_bytes_count')).toEqual([
        'http_response_size_bytes_count{method="GET",route="/walks/:id"} 0',
        'http_response_size_bytes_count{method="GET",route="<unmatched>"} 0',
      ]);
      expect(await lines(registry, 'http_exceptions_total')).toEqual([]);
      expect(await lines(registry, 'http_requests_in_flight')).toEqual(['http_requests_in_flight 0']);
    } finally {
      await close(server);
    }
  });

  it('records a client that leaves halfway through a streamed body as 499, not as an exception', async () => {
    const registry = newRegistry();
    const app = instrumentedApp(Koa, registry);
    const router = new Router();
    router.get('/feed', (ctx) => {
      ctx.type = 'text/plain';
      // A first chunk, then nothing until the client has gone.
      ctx.body = new Readable({
        read() {
          if (this.readableLength === 0) this.push('a'.repeat(1000));
        },
      });
    });
    app.use(router.routes());
    const { server, url } = await listen(app);
    try {
      await new Promise<void>((resolve) => {
        const req = httpRequest(`${url}/feed`, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', () => {});
        req.end();
      });
      await until(
        registry,
        'http_request_duration_seconds_count{method="GET",route="/feed",status_code="499"} 1',
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await lines(registry, 'http_exceptions_total')).toEqual([]);
    } finally {
      await close(server);
    }
  });

  it("counts the errors an app's own error handler answers when it emits them, as Koa asks, once", async () => {
    const registry = newRegistry();
    const app = instrumentedApp(Koa, registry);
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (error) {
        ctx.status = (error as { status?: number }).status ?? 500;
        ctx.body = { message: (error as Error).message };
        if (ctx.path !== '/quiet') ctx.app.emit('error', error, ctx);
      }
    });
    const router = new Router();
    router.get('/boom', () => {
      throw new RangeError('boom');
    });
    router.get('/quiet', () => {
      throw new RangeError('swallowed');
    });
    router.get('/teapot', (ctx) => ctx.throw(418));
    app.use(router.routes());
    const server = app.callback();
    await request(server).get('/boom').expect(500, { message: 'boom' });
    await request(server).get('/boom').expect(500);
    await request(server).get('/teapot').expect(418);
    await request(server).get('/quiet').expect(500);
    expect(await lines(registry, 'http_exceptions_total')).toEqual([
      'http_exceptions_total{method="GET",route="/boom",type="RangeError"} 2',
      'http_exceptions_total{method="GET",route="/teapot",type="ImATeapotError"} 1',
    ]);
    expect(await lines(registry, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/boom",status_code="500"} 2',
      'http_request_duration_seconds_count{method="GET",route="/quiet",status_code="500"} 1',
      'http_request_duration_seconds_count{method="GET",route="/teapot",status_code="418"} 1',
    ]);
  });

  it("keeps Koa's own logging of errors", async () => {
    const app = instrumentedApp(Koa, newRegistry());
    const logged: unknown[] = [];
    app.silent = false;
    app.onerror = (error) => {
      logged.push(error);
    };
    const router = new Router();
    router.get('/boom', () => {
      throw new Error('boom');
    });
    app.use(router.routes());
    const server = app.callback();
    await request(server).get('/boom').expect(500);
    await request(server).get('/boom').expect(500);
    expect(logged).toHaveLength(2);
  });
});
