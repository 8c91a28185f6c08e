import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { metricsMiddleware } from '@promenade/express';
import express from 'express';
import express4 from 'express4';
import { Registry } from 'prom-client';

/** The same suite runs on both majors. */
export const expressVersions = [
  ['express 5', express],
  ['express 4', express4],
] as const;

export type ExpressFactory = (typeof expressVersions)[number][1];

export function newRegistry(): Registry {
  return new Registry();
}

/** An app of the given major that records every request into `registry`, without default metrics. */
export function instrumentedApp(express: ExpressFactory, registry: Registry): ReturnType<ExpressFactory> {
  const app = express();
  app.use(metricsMiddleware({ registry, defaultMetrics: false }));
  return app;
}

export { lines, settled } from '../../../test/support/recorded-requests.js';

export async function listen(
  handler: Parameters<typeof createServer>[1],
): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

export function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

/** Freezes an options object and everything in it, except a registry. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof Registry)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Sends GET requests for every path over a few keep-alive connections, pipelined in
 * batches, and resolves with the number of responses. A real HTTP client, cheap enough to
 * send ten thousand requests in a test.
 */
export async function getAll(
  server: Server,
  paths: readonly string[],
  connections = 4,
  batch = 50,
): Promise<number> {
  const { port } = server.address() as AddressInfo;
  const perConnection = Math.ceil(paths.length / connections);
  const counts = await Promise.all(
    Array.from({ length: connections }, (_, index) =>
      sendPipelined(port, paths.slice(index * perConnection, (index + 1) * perConnection), batch),
    ),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}

function sendPipelined(port: number, paths: readonly string[], batch: number): Promise<number> {
  return new Promise((resolve, reject) => {
    if (paths.length === 0) return resolve(0);
    const socket = connect(port, '127.0.0.1');
    let sent = 0;
    let received = 0;
    let tail = '';
    const sendBatch = () => {
      const next = paths.slice(sent, sent + batch);
      sent += next.length;
      socket.write(next.map((path) => `GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`).join(''));
    };
    socket.on('connect', sendBatch);
    socket.on('data', (data) => {
      // Counts status lines; a tail is kept in case one is split across chunks.
      const text = tail + data.toString('latin1');
      for (let at = text.indexOf('HTTP/1.1 '); at !== -1; at = text.indexOf('HTTP/1.1 ', at + 9)) received++;
      tail = text.slice(-8);
      if (received === sent && sent < paths.length) sendBatch();
      if (received === paths.length) socket.end();
    });
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
}
