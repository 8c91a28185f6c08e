import { register } from 'prom-client';
import { expect, it } from 'vitest';

it('registers nothing when imported, nor when a middleware is created on a registry of its own', async () => {
  const { metricsMiddleware } = await import('@promenade/hono');
  expect(await register.getMetricsAsJSON()).toEqual([]);
  const { Registry } = await import('prom-client');
  metricsMiddleware({ registry: new Registry() });
  expect(await register.getMetricsAsJSON()).toEqual([]);
});
