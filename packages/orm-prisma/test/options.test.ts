import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PromenadeError } from '@promenade/core';
import { sampleLines, scrape } from '@promenade/core/testing';
import { createMigrationMetrics, instrumentAdapter, prismaMetrics } from '@promenade/orm-prisma';
import { Counter, register as globalRegistry, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { SqliteClient } from './support/clients.js';
import { useMigratedSqlite } from './support/sqlite-database.js';

function thrown(run: () => unknown): PromenadeError {
  try {
    run();
  } catch (error) {
    return error as PromenadeError;
  }
  throw new Error('expected an error');
}

describe('option validation', () => {
  it('rejects an unknown key of prismaMetrics, suggesting the right one', () => {
    const error = thrown(() => prismaMetrics({ bucket: [1] } as never));
    expect(error).toBeInstanceOf(PromenadeError);
    expect(error.code).toBe('ERR_PROMENADE_UNKNOWN_OPTION');
    expect(error.message).toBe(
      '@promenade/orm-prisma: option "bucket" is not a known option; did you mean "buckets"? (received [1])',
    );
  });

  it('rejects bad values with the option path and the value', () => {
    expect(thrown(() => prismaMetrics({ models: [''] })).message).toBe(
      '@promenade/orm-prisma: option "models" must hold non-empty model names only (received [""])',
    );
    expect(thrown(() => prismaMetrics({ buckets: [1, 0.5] })).message).toBe(
      '@promenade/orm-prisma: option "buckets" must be sorted in strictly increasing order (received [1,0.5])',
    );
    expect(
      thrown(() => instrumentAdapter(new PrismaBetterSqlite3({ url: ':memory:' }), { alias: '' })).message,
    ).toBe(
      '@promenade/orm-prisma: option "alias" must be a non-empty string of at most 128 characters (received "")',
    );
    expect(
      thrown(() => instrumentAdapter(new PrismaBetterSqlite3({ url: ':memory:' }), { prefix: '1x' })).code,
    ).toBe('ERR_PROMENADE_INVALID_OPTION');
    expect(
      thrown(() => instrumentAdapter(new PrismaBetterSqlite3({ url: ':memory:' }), { models: { Dog: '' } }))
        .message,
    ).toBe(
      '@promenade/orm-prisma: option "models" must hold non-empty model names only (received {"Dog":""})',
    );
    expect(
      thrown(() =>
        instrumentAdapter(new PrismaBetterSqlite3({ url: ':memory:' }), { tables: 'yes' as never }),
      ).message,
    ).toBe('@promenade/orm-prisma: option "tables" must be a boolean (received "yes")');
    expect(thrown(() => prismaMetrics({ rows: 0 as never })).message).toBe(
      '@promenade/orm-prisma: option "rows" must be a boolean (received 0)',
    );
  });

  it('rejects something that is not a driver adapter factory', () => {
    const error = thrown(() => instrumentAdapter({ url: 'file:x' } as never));
    expect(error.code).toBe('ERR_PROMENADE_INVALID_OPTION');
    expect(error.message).toBe(
      '@promenade/orm-prisma: option "adapter" must be a Prisma driver adapter factory such as new PrismaBetterSqlite3(...) or new PrismaPg(...) (received {"url":"file:x"})',
    );
  });

  it('hides credentials of a database URL it rejects', () => {
    const error = thrown(() =>
      createMigrationMetrics({
        migrationsPath: 'm',
        database: 'mysql://user:secret@db/x',
        registry: new Registry(),
      }),
    );
    expect(error.message).toBe(
      '@promenade/orm-prisma: option "database" must be a file: or postgresql:// URL, a better-sqlite3 Database, or a pg Pool or Client (received "mysql://***@db/x")',
    );
  });

  it('does not change the options it is given', () => {
    const options = Object.freeze({ registry: new Registry(), models: Object.freeze(['Walker']) });
    expect(() => prismaMetrics(options)).not.toThrow();
  });

  it('registers on the global registry by default, once however often it is called', () => {
    try {
      prismaMetrics();
      prismaMetrics();
      expect(globalRegistry.getSingleMetric('prisma_model_operations_total')).toBeDefined();
    } finally {
      globalRegistry.clear();
    }
  });
});

describe('families shared on one registry', () => {
  const sqlite = useMigratedSqlite('shared');

  it('records two extended clients into the same series', async () => {
    const { registry } = sqlite;
    const first = sqlite.track(new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: sqlite.url }) }));
    const second = sqlite.track(new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: sqlite.url }) }));
    await first.$extends(prismaMetrics({ registry })).dog.count();
    await second.$extends(prismaMetrics({ registry })).dog.count();
    expect(sampleLines(await scrape(registry), 'prisma_model_operations_total')).toEqual([
      'prisma_model_operations_total{model="Dog",operation="count"} 2',
    ]);
  });

  it('refuses other buckets on a histogram it registered, naming both', () => {
    const { registry } = sqlite;
    prismaMetrics({ registry, buckets: [0.1, 1] });
    const error = thrown(() => prismaMetrics({ registry, buckets: [0.5, 5] }));
    expect(error.code).toBe('ERR_PROMENADE_METRIC_CONFLICT');
    expect(error.message).toBe(
      '@promenade/orm-prisma: metric "prisma_model_operation_duration_seconds" is already registered and differs in buckets (registered: [0.1,1], requested by option "buckets": [0.5,5]); choose another "prefix"',
    );
  });

  it('refuses a name that another metric holds', () => {
    const { registry } = sqlite;
    new Counter({ name: 'db_client_operation_errors_total', help: 'Mine.', registers: [registry] });
    const error = thrown(() => instrumentAdapter(new PrismaBetterSqlite3({ url: sqlite.url }), { registry }));
    expect(error.code).toBe('ERR_PROMENADE_METRIC_CONFLICT');
    // The adapter records on @promenade/db's schema, whose families say whose they are.
    expect(error.message).toBe(
      '@promenade/db: metric "db_client_operation_errors_total" is already registered and differs in type (registered: counter, requested: series counter); choose another "prefix"',
    );
    expect(() =>
      instrumentAdapter(new PrismaBetterSqlite3({ url: sqlite.url }), { registry, prefix: 'app_' }),
    ).not.toThrow();
  });
});

describe('cardinality cap', () => {
  const sqlite = useMigratedSqlite('cap');

  it('folds label sets past maxLabelSets into <overflow> and counts the folds', async () => {
    const { registry } = sqlite;
    const prisma = sqlite
      .track(new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: sqlite.url }) }))
      .$extends(prismaMetrics({ registry, maxLabelSets: 2, models: [] }));
    await prisma.dog.count();
    await prisma.dog.findMany();
    await prisma.walker.count();
    await prisma.walk.count();
    await prisma.walk.count();
    const text = await scrape(registry);
    expect(sampleLines(text, 'prisma_model_operations_total')).toEqual([
      'prisma_model_operations_total{model="Dog",operation="count"} 1',
      'prisma_model_operations_total{model="Dog",operation="findMany"} 1',
      'prisma_model_operations_total{model="<overflow>",operation="count"} 3',
    ]);
    expect(sampleLines(text, 'prisma_model_operation_duration_seconds_count')).toEqual([
      'prisma_model_operation_duration_seconds_count{model="Dog",operation="count"} 1',
      'prisma_model_operation_duration_seconds_count{model="Dog",operation="findMany"} 1',
      'prisma_model_operation_duration_seconds_count{model="<overflow>",operation="count"} 3',
    ]);
    expect(sampleLines(text, 'prisma_model_reads_total')).toEqual([
      'prisma_model_reads_total{model="Dog"} 2',
      'prisma_model_reads_total{model="<overflow>"} 3',
    ]);
    // Every observation that lands in a folded series counts, not only the first of a label set.
    expect(sampleLines(text, 'prisma_label_sets_folded_total')).toEqual([
      'prisma_label_sets_folded_total{metric="prisma_model_operations_total"} 3',
    ]);
  });

  it('folds error labels past maxLabelSets on both sides, and counts each fold', async () => {
    const { registry } = sqlite;
    const prisma = sqlite
      .track(
        new SqliteClient({
          adapter: instrumentAdapter(new PrismaBetterSqlite3({ url: sqlite.url }), {
            registry,
            maxLabelSets: 1,
          }),
        }),
      )
      .$extends(prismaMetrics({ registry, maxLabelSets: 1, models: [] }));
    const data = { name: 'Ana', email: 'ana@example.com' };
    await prisma.walker.create({ data });
    await expect(prisma.walker.create({ data })).rejects.toMatchObject({ code: 'P2002' });
    await expect(prisma.walker.create({ data: { name: 'No email' } as never })).rejects.toThrow();
    await expect(prisma.$queryRawUnsafe('SELECT * FROM "NoSuchTable"')).rejects.toThrow();
    const text = await scrape(registry);
    expect(sampleLines(text, 'prisma_model_operation_errors_total')).toEqual([
      'prisma_model_operation_errors_total{model="Walker",operation="create",error="P2002"} 1',
      'prisma_model_operation_errors_total{model="Walker",operation="create",error="<overflow>"} 1',
    ]);
    expect(sampleLines(text, 'db_client_operation_errors_total')).toEqual([
      'db_client_operation_errors_total{db_system="sqlite",alias="default",operation="INSERT",error_type="SQLITE_CONSTRAINT"} 1',
      'db_client_operation_errors_total{db_system="sqlite",alias="default",operation="SELECT",error_type="<overflow>"} 1',
    ]);
    expect(sampleLines(text, 'prisma_label_sets_folded_total')).toEqual([
      'prisma_label_sets_folded_total{metric="prisma_model_operation_errors_total"} 1',
    ]);
    expect(
      sampleLines(text, 'db_label_sets_folded_total{metric="db_client_operation_errors_total"}'),
    ).toEqual(['db_label_sets_folded_total{metric="db_client_operation_errors_total"} 1']);
  });
});
