import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sampleLines, scrape } from '@promenade/core/testing';
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

/**
 * Waits until no request is in flight: a response is recorded when it emits 'close', one tick
 * after it finished, which may come after the client has the response.
 */
export async function settled(registry: Registry): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const inFlight = (await registry.getMetricsAsJSON())
      .filter((metric) => metric.name.endsWith('http_requests_in_flight'))
      .reduce((sum, metric) => sum + metric.values.reduce((total, sample) => total + sample.value, 0), 0);
    if (inFlight === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('requests still in flight after one second');
}

/** The sample lines of one metric, sorted, after every request has been recorded. */
export async function lines(registry: Registry, name: string): Promise<string[]> {
  await settled(registry);
  return sampleLines(await scrape(registry), name).sort();
}

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
