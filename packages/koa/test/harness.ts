import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type KoaMetricsOptions, metricsMiddleware } from '@promenade/koa';
import Koa from 'koa';
import Koa2 from 'koa2';
import { Registry } from 'prom-client';

/** The same suite runs on both majors. */
export const koaVersions = [
  ['koa 3', Koa],
  ['koa 2', Koa2],
] as const;

export type KoaClass = (typeof koaVersions)[number][1];

/** An app of the given major that records every request into `registry`, without default metrics. */
export function instrumentedApp(Koa: KoaClass, registry: Registry, options: KoaMetricsOptions = {}): Koa {
  const app = new Koa();
  // The tests' errors are expected: Koa's own logger would print each one.
  app.silent = true;
  app.use(metricsMiddleware({ registry, defaultMetrics: false, ...options }));
  return app;
}

export function newRegistry(): Registry {
  return new Registry();
}

export { lines, settled } from '../../../test/support/recorded-requests.js';

/** A real server on a loopback port. */
export async function listen(app: Koa): Promise<{ server: Server; url: string }> {
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
