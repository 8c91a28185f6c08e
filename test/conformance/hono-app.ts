import { metricsMiddleware } from '@promenade/hono';
import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Registry } from 'prom-client';
import { credentials, FEED_CHUNKS, HELD_PATH, LARGE_RESPONSE, UNSERIALIZABLE } from './payloads.js';
import type { SlowGate } from './slow-gate.js';

/**
 * What the gate needs of a held request: when its client went. Node's request on
 * @hono/node-server, the Fetch request's signal on Bun and Deno.
 */
function heldRequest(c: Context): { once(event: 'close', listener: () => void): unknown } {
  const incoming = (
    c.env as { incoming?: { once(event: 'close', listener: () => void): unknown } } | undefined
  )?.incoming;
  if (incoming !== undefined) return incoming;
  return { once: (_event, listener) => c.req.raw.signal.addEventListener('abort', listener, { once: true }) };
}

function decodes(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The conformance routes on Hono, the same app on every runtime (Node through
 * @hono/node-server, Bun, Deno): what the Express and Fastify stacks serve, written as Hono apps
 * write it.
 */
export function createHonoConformanceApp(registry: Registry, gate: SlowGate): Hono {
  const app = new Hono();
  app.use(metricsMiddleware({ registry, auth: credentials, defaultMetrics: false }));
  app.use(async (c, next) => {
    // Hono hands handlers a parameter that does not decode as it was sent (Express and Fastify
    // answer 400 themselves): a Hono app that cares says 400 ahead of its routes.
    if (!decodes(c.req.path)) return c.text('Bad Request', 400);
    // What an authentication middleware in front of the routes does: holds some requests a while.
    if (c.req.path.startsWith(HELD_PATH)) await gate.hold(heldRequest(c));
    await next();
  });
  const api = new Hono();
  api.get('/dogs/:id', (c) => c.json({ id: Number(c.req.param('id')), name: 'Rex' }));
  api.get('/boom', () => {
    throw new Error('boom');
  });
  // Validation as Hono apps do it: an HTTPException with the status.
  api.get('/walks/:count', (c) => {
    const count = c.req.param('count');
    if (!/^\d+$/.test(count)) throw new HTTPException(400, { message: 'count' });
    return c.json({ walks: Number(count) });
  });
  api.post('/uploads', async (c) => {
    await c.req.text();
    return c.text(LARGE_RESPONSE);
  });
  api.get('/slow', async (c) => {
    await gate.hold(heldRequest(c));
    return c.json({ late: true });
  });
  api.get('/feed', (c) => {
    const chunks = FEED_CHUNKS.map((chunk) => new TextEncoder().encode(chunk));
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks.shift();
        if (chunk === undefined) controller.close();
        else controller.enqueue(chunk);
      },
    });
    return c.body(body, 200, { 'content-type': 'text/plain' });
  });
  api.get('/ledger', (c) => c.json(UNSERIALIZABLE));
  app.route('/api', api);
  // What every real Hono app has: a JSON error handler.
  app.onError((error, c) =>
    c.json({ message: error.message }, error instanceof HTTPException ? error.status : 500),
  );
  return app;
}
