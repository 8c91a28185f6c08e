import { register as globalRegistry } from 'prom-client';
import { expect, it } from 'vitest';

/** How many active resources (timers, sockets, ...) of each type the process holds. */
function resourceCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

it('importing any entry of @promenade/core registers nothing and starts nothing', async () => {
  const metricsBefore = globalRegistry.getMetricsAsArray().length;
  const before = resourceCounts();
  const core = await import('@promenade/core');
  const adapter = await import('@promenade/core/adapter');
  await import('@promenade/core/testing');
  expect(typeof core.startMetricsServer).toBe('function');
  expect(typeof adapter.createHttpInstrumentation).toBe('function');
  expect(globalRegistry.getMetricsAsArray().length).toBe(metricsBefore);
  // The test runner's own timers may end while the modules load; none may be added.
  const added = [...resourceCounts()].filter(([type, count]) => count > (before.get(type) ?? 0));
  expect(added).toEqual([]);
});
