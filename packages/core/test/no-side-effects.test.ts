import { register as globalRegistry } from 'prom-client';
import { expect, it } from 'vitest';

it('importing @promenade/core registers nothing and starts nothing', async () => {
  const metricsBefore = globalRegistry.getMetricsAsArray().length;
  const handlesBefore = process.getActiveResourcesInfo().length;
  const core = await import('@promenade/core');
  await import('@promenade/core/testing');
  expect(typeof core.createHttpInstrumentation).toBe('function');
  expect(globalRegistry.getMetricsAsArray().length).toBe(metricsBefore);
  expect(process.getActiveResourcesInfo().length).toBe(handlesBefore);
});
