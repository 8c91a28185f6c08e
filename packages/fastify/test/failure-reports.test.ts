import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createApp, FASTIFY_VERSIONS, registerMetrics } from './harness.js';

describe.each(FASTIFY_VERSIONS)('%s: a recording that fails', (_name, factory) => {
  it("leaves every request answered and is logged once through Fastify's logger, not once per request", async () => {
    const lines: { msg: string; err?: { message: string } }[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const { app, registry } = createApp(factory, { logger: { level: 'error', stream } });
    registerMetrics(app, registry);
    app.get('/dogs', async (request) => {
      // What core reads when it records the request, made to throw after the handler ran.
      Object.defineProperty(request.raw, 'method', {
        get() {
          throw new Error('method unreadable');
        },
      });
      return 'woof';
    });
    for (let i = 0; i < 5; i++) {
      const response = await app.inject({ method: 'GET', url: '/dogs' });
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe('woof');
    }
    expect(lines.map(({ msg, err }) => [msg, err?.message])).toEqual([
      ['@promenade/fastify: recording a request failed', 'method unreadable'],
    ]);
  });
});
