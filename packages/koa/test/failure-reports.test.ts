import Router from '@koa/router';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { instrumentedApp, koaVersions, newRegistry } from './harness.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(koaVersions)('%s: a recording that fails', (_name, Koa) => {
  it('leaves every request answered and is logged once, not once per request', async () => {
    const logged: unknown[][] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      logged.push(args);
    });
    const app = instrumentedApp(Koa, newRegistry());
    const broken = new Error('method unreadable');
    const router = new Router();
    router.get('/dogs', (ctx) => {
      const { req, res } = ctx;
      // What core reads when it records the request (as the response finishes), made to throw
      // once the response is all handed to Node.
      res.on('prefinish', () => {
        Object.defineProperty(req, 'method', {
          get() {
            throw broken;
          },
        });
      });
      ctx.body = 'woof';
    });
    app.use(router.routes());
    const server = app.callback();
    for (let i = 0; i < 5; i++) {
      const response = await request(server).get('/dogs');
      expect(response.status).toBe(200);
      expect(response.text).toBe('woof');
    }
    await vi.waitFor(() => expect(logged).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(logged).toEqual([['@promenade/koa: recording a request failed', broken]]);
  });
});
