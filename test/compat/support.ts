import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sampleLines, scrape } from '@promenade/core/testing';
import type { Registry } from 'prom-client';

export { type RawRequest, type RawResponse, send } from '../support/raw-request.js';

export function urlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export function listening(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(urlOf(server))));
}

export function closed(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

/**
 * The sample lines of the named metrics, sorted, once no request is in flight any more: a
 * response is recorded when it closes, which may be a moment after the client has it.
 */
export async function series(registry: Registry, ...names: string[]): Promise<string[]> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const text = await scrape(registry);
    if (sampleLines(text, 'http_requests_in_flight').every((line) => line.endsWith(' 0'))) {
      return names.flatMap((name) => sampleLines(text, name)).sort();
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('requests still in flight after one second');
}

/** A JSON body large enough for compression to matter, and very compressible. */
export const LARGE_JSON = {
  dogs: Array.from({ length: 400 }, (_, id) => ({ id, name: 'Rex', breed: 'collie' })),
};
