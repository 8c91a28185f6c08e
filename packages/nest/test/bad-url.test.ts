import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sampleLines, scrape } from '@promenade/core/testing';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { DogsController, prefixAndVersion } from './fixtures.js';
import { createTestApp, metricsModule } from './harness.js';

const COUNT = 'http_request_duration_seconds_count';

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ port, path, host: '127.0.0.1' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Fastify answers a URL that does not decode from its router, before any hook (FST_ERR_BAD_URL). */
describe('a URL that does not decode, on Nest on Fastify', () => {
  it('is recorded as <unmatched> with its 400, through inject and over HTTP', async () => {
    const registry = new Registry();
    const testApp = await createTestApp('fastify', {
      imports: [metricsModule(registry)],
      controllers: [DogsController],
      prepare: prefixAndVersion,
    });
    try {
      expect((await testApp.send({ url: '/api/v1/dogs/%E0%A4%A' })).status).toBe(400);
      await testApp.app.listen(0, '127.0.0.1');
      const { port } = testApp.app.getHttpServer().address() as AddressInfo;
      expect(await get(port, '/nope/%ZZ')).toBe(400);
      expect(await get(port, '/api/v1/dogs/1')).toBe(200);
      let lines: string[] = [];
      // A response is recorded when it closes, just after the client has it.
      for (let attempt = 0; attempt < 100 && lines.length < 2; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        lines = sampleLines(await scrape(registry), COUNT);
      }
      expect(lines.sort()).toEqual([
        'http_request_duration_seconds_count{method="GET",route="/api/v1/dogs/:id",status_code="200"} 1',
        'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="400"} 2',
      ]);
    } finally {
      await testApp.close();
    }
  });
});
