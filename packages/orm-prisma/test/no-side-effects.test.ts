import { register as globalRegistry } from 'prom-client';
import { expect, it } from 'vitest';

it('importing @promenade/orm-prisma registers nothing and starts nothing', async () => {
  const metricsBefore = globalRegistry.getMetricsAsArray().length;
  const handlesBefore = process.getActiveResourcesInfo().length;
  const orm = await import('@promenade/orm-prisma');
  expect(typeof orm.prismaMetrics).toBe('function');
  expect(globalRegistry.getMetricsAsArray().length).toBe(metricsBefore);
  // At most as many: a handle of the test runner itself may close meanwhile.
  expect(process.getActiveResourcesInfo().length).toBeLessThanOrEqual(handlesBefore);
});

it('importing @promenade/orm-prisma/migrations registers nothing and starts nothing', async () => {
  const metricsBefore = globalRegistry.getMetricsAsArray().length;
  const handlesBefore = process.getActiveResourcesInfo().length;
  const migrations = await import('@promenade/orm-prisma/migrations');
  expect(typeof migrations.readMigrationStatus).toBe('function');
  expect(globalRegistry.getMetricsAsArray().length).toBe(metricsBefore);
  expect(process.getActiveResourcesInfo().length).toBeLessThanOrEqual(handlesBefore);
});
