import { register as globalRegistry } from 'prom-client';
import { expect, it } from 'vitest';

it('importing @promenade/fastify registers nothing; registering it uses the global registry by default', async () => {
  const metricsBefore = globalRegistry.getMetricsAsArray().length;
  const { fastifyMetrics } = await import('@promenade/fastify');
  expect(typeof fastifyMetrics).toBe('function');
  expect(globalRegistry.getMetricsAsArray().length).toBe(metricsBefore);
  const { default: fastify } = await import('fastify');
  const app = fastify();
  await app.register(fastifyMetrics, { defaultMetrics: false });
  expect(globalRegistry.getSingleMetric('http_request_duration_seconds')).toBeDefined();
  await app.close();
});
