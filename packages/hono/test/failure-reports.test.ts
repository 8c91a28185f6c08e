import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { metricsMiddleware } from '@promenade/hono';
import { Hono } from 'hono';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.restoreAllMocks();
});

function capturedErrors(): unknown[][] {
  const logged: unknown[][] = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    logged.push(args);
  });
  return logged;
}

const broken = new Error('method unreadable');
const unreadable = {
  get: () => {
    throw broken;
  },
};

describe('a recording that fails', () => {
  it('on @hono/node-server: leaves every request answered and is logged once, not once per request', async () => {
    const logged = capturedErrors();
    const app = new Hono<{ Bindings: { incoming: IncomingMessage; outgoing: ServerResponse } }>();
    app.use(metricsMiddleware({ registry: new Registry(), defaultMetrics: false }));
    app.get('/dogs', (c) => {
      // What Promenade reads when it records the request, made to throw once the response is
      // sent (Node and @hono/node-server read it before).
      const { incoming, outgoing } = c.env;
      const method = incoming.method;
      Object.defineProperty(incoming, 'method', {
        get() {
          if (outgoing.writableFinished) throw broken;
          return method;
        },
      });
      return c.text('woof');
    });
    const server = await new Promise<Server>((resolve) => {
      const listening = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(listening as Server),
      );
    });
    try {
      const { port } = server.address() as AddressInfo;
      for (let i = 0; i < 5; i++) {
        const response = await fetch(`http://127.0.0.1:${port}/dogs`);
        expect(response.status).toBe(200);
        expect(await response.text()).toBe('woof');
      }
      await vi.waitFor(() => expect(logged).toHaveLength(1));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(logged).toEqual([['@promenade/hono: recording a request failed', broken]]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('on the Fetch API: leaves every request answered and is logged once', async () => {
    const logged = capturedErrors();
    const app = new Hono();
    app.use(metricsMiddleware({ registry: new Registry(), defaultMetrics: false }));
    app.get('/dogs', (c) => c.text('woof'));
    for (let i = 0; i < 5; i++) {
      const request = new Request('http://localhost/dogs');
      const response = await app.fetch(request);
      // Read when the body has been read to its end and the request is recorded.
      Object.defineProperty(request, 'method', unreadable);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('woof');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(logged).toEqual([['@promenade/hono: recording a request failed', broken]]);
  });
});
