import { register as globalRegistry } from 'prom-client';
import { expect, it } from 'vitest';

it('importing @promenade/db registers nothing, starts nothing and changes no driver', async () => {
  const pg = (await import('pg')).default;
  const mysql = (await import('mysql2')).default;
  const Database = (await import('better-sqlite3')).default;
  const prototypes = [pg.Client.prototype, pg.Pool.prototype, Database.prototype];
  const before = prototypes.map((prototype) => ({ ...Object.getOwnPropertyDescriptors(prototype) }));
  const createPool = mysql.createPool;
  const metricsBefore = globalRegistry.getMetricsAsArray().length;
  const handlesBefore = process.getActiveResourcesInfo().length;
  const db = await import('@promenade/db');
  expect(typeof db.instrumentPg).toBe('function');
  expect(globalRegistry.getMetricsAsArray().length).toBe(metricsBefore);
  // At most as many: a handle of the test runner itself may close meanwhile.
  expect(process.getActiveResourcesInfo().length).toBeLessThanOrEqual(handlesBefore);
  expect(prototypes.map((prototype) => ({ ...Object.getOwnPropertyDescriptors(prototype) }))).toEqual(before);
  expect(mysql.createPool).toBe(createPool);
});

it('instrumenting one pool changes that pool only: another pool of the same class is untouched', async () => {
  const pg = (await import('pg')).default;
  const { Registry } = await import('prom-client');
  const { instrumentPg } = await import('@promenade/db');
  const instrumented = instrumentPg(new pg.Pool(), { registry: new Registry() });
  const other = new pg.Pool();
  expect(Object.hasOwn(instrumented, 'connect')).toBe(true);
  expect(Object.hasOwn(other, 'connect')).toBe(false);
  expect(other.connect).toBe(pg.Pool.prototype.connect);
  await Promise.all([instrumented.end(), other.end()]);
});
