import { IncomingMessage, ServerResponse } from 'node:http';
import Koa from 'koa';
import { register } from 'prom-client';
import { expect, it } from 'vitest';

it('changes nothing when imported, and registers nothing in the global registry when given its own', async () => {
  const writeBefore = Object.getOwnPropertyDescriptor(ServerResponse.prototype, 'write');
  const destroyBefore = Object.getOwnPropertyDescriptor(IncomingMessage.prototype, 'destroy');
  const { metricsMiddleware } = await import('@promenade/koa');
  expect(await register.getMetricsAsJSON()).toEqual([]);
  expect(Object.getOwnPropertyDescriptor(ServerResponse.prototype, 'write')).toEqual(writeBefore);
  expect(Object.getOwnPropertyDescriptor(IncomingMessage.prototype, 'destroy')).toEqual(destroyBefore);
  const app = new Koa();
  const { Registry } = await import('prom-client');
  app.use(metricsMiddleware({ registry: new Registry() }));
  expect(await register.getMetricsAsJSON()).toEqual([]);
  // The app's 'error' listener waits for its first request.
  expect(app.listenerCount('error')).toBe(0);
});
