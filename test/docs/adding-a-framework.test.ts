import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sampleLines, scrape } from '@promenade/core/testing';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';

// The adapter docs/adding-a-framework.md shows, run as written: the guide cannot drift from
// what @promenade/core/adapter offers.

const here = dirname(fileURLToPath(import.meta.url));
const guide = readFileSync(join(here, '..', '..', 'docs', 'adding-a-framework.md'), 'utf8');

function exampleSource(): string {
  const marker = guide.indexOf('<!-- adapter-guide-example -->');
  const block = /```ts\n([\s\S]*?)```/.exec(guide.slice(marker));
  if (marker < 0 || block === null) throw new Error('the guide has no marked example');
  return block[1]!;
}

type Instrument = (
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  options: { registry: Registry; routeOf(req: IncomingMessage): string },
) => (req: IncomingMessage, res: ServerResponse) => void;

async function loadExample(): Promise<Instrument> {
  // Git-ignored (generated/), beside this test so that workspace imports resolve as in the repo.
  const folder = join(here, 'generated');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'adapter-guide-example.ts');
  writeFileSync(file, exampleSource());
  return ((await import(file)) as { instrumentHandler: Instrument }).instrumentHandler;
}

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
});

describe("the adapter guide's example", () => {
  it('records requests under the routes the application names, serves /metrics, and records a client that left as 499', async () => {
    const instrumentHandler = await loadExample();
    const registry = new Registry();
    const handler = instrumentHandler(
      (req, res) => {
        if (req.url === '/slow') {
          res.write('partial');
          return;
        }
        res.statusCode = req.url?.startsWith('/dogs/') ? 200 : 404;
        res.end(res.statusCode === 200 ? 'woof' : 'no');
      },
      { registry, routeOf: (req) => (req.url?.startsWith('/dogs/') ? '/dogs/:id' : '<unmatched>') },
    );
    server = createServer(handler);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const path of ['/dogs/1', '/dogs/2', '/nope']) await (await fetch(base + path)).text();
    const controller = new AbortController();
    const slow = await fetch(`${base}/slow`, { signal: controller.signal });
    controller.abort();
    await slow.text().catch(() => {});
    const page = await (await fetch(`${base}/metrics`)).text();
    expect(page).toContain('# TYPE http_request_duration_seconds histogram');
    for (
      let i = 0;
      i < 100 && sampleLines(await scrape(registry), 'http_requests_in_flight')[0]?.endsWith(' 0') !== true;
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const exposition = await scrape(registry);
    expect(sampleLines(exposition, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/dogs/:id",status_code="200"} 2',
      'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="404"} 1',
      'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="499"} 1',
    ]);
    expect(sampleLines(exposition, 'http_response_size_bytes_sum')).toEqual([
      'http_response_size_bytes_sum{method="GET",route="/dogs/:id"} 8',
      'http_response_size_bytes_sum{method="GET",route="<unmatched>"} 2',
    ]);
    // Requests without a body: observed as 0 bytes, the one whose client left included.
    expect(sampleLines(exposition, 'http_request_size_bytes_count')).toEqual([
      'http_request_size_bytes_count{method="GET",route="/dogs/:id"} 2',
      'http_request_size_bytes_count{method="GET",route="<unmatched>"} 2',
    ]);
    expect(sampleLines(exposition, 'http_requests_in_flight')).toEqual(['http_requests_in_flight 0']);
  });
});
