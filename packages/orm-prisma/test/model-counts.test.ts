import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { sampleLines, scrape } from '@promenade/core/testing';
import { instrumentAdapter, prismaMetrics } from '@promenade/orm-prisma';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { SqliteClient, SqlitePrisma } from './support/clients.js';
import { expectedCounts, runWorkload, WORKLOAD } from './support/model-workload.js';
import { useMigratedSqlite } from './support/sqlite-database.js';

const sqlite = useMigratedSqlite('model-counts');

/** One client counting rows both ways, each into its own registry, so that they can be compared. */
function countedBothWays() {
  const adapterRegistry = new Registry();
  const extensionRegistry = new Registry();
  const adapter = instrumentAdapter(new PrismaBetterSqlite3({ url: sqlite.url }), {
    registry: adapterRegistry,
    models: SqlitePrisma.ModelName,
  });
  const prisma = sqlite
    .track(new SqliteClient({ adapter }))
    .$extends(prismaMetrics({ registry: extensionRegistry }));
  return { prisma, registries: { adapter: adapterRegistry, extension: extensionRegistry } };
}

describe('model counts at the driver adapter, on SQLite', () => {
  it('agree with the extension on every write, and differ only where they see different things', async () => {
    const { prisma, registries } = countedBothWays();
    expect(await runWorkload(prisma, WORKLOAD, registries)).toEqual(expectedCounts(WORKLOAD));
  });

  it('start every model at zero and count no reads', async () => {
    const { prisma, registries } = countedBothWays();
    await prisma.dog.findMany();
    const text = await scrape(registries.adapter);
    expect(sampleLines(text, 'prisma_model_inserts_total')).toEqual([
      'prisma_model_inserts_total{model="Walker"} 0',
      'prisma_model_inserts_total{model="Dog"} 0',
      'prisma_model_inserts_total{model="Walk"} 0',
    ]);
    expect(text).not.toContain('prisma_model_reads_total{');
    expect(text).not.toContain('prisma_model_operations_total');
  });

  it('read a model mapped to another table from the model -> table record', async () => {
    const registry = new Registry();
    const adapter = instrumentAdapter(new PrismaBetterSqlite3({ url: sqlite.url }), {
      registry,
      models: { Hound: 'Dog' },
    });
    const prisma = sqlite.track(new SqliteClient({ adapter }));
    await prisma.dog.create({ data: { name: 'Rex', breed: 'Beagle' } });
    expect(sampleLines(await scrape(registry), 'prisma_model_inserts_total')).toEqual([
      'prisma_model_inserts_total{model="Hound"} 1',
    ]);
  });

  it('leave the rows to the adapter when the extension is told rows: false', async () => {
    const registry = new Registry();
    const adapter = instrumentAdapter(new PrismaBetterSqlite3({ url: sqlite.url }), {
      registry,
      models: SqlitePrisma.ModelName,
    });
    const prisma = sqlite
      .track(new SqliteClient({ adapter }))
      .$extends(prismaMetrics({ registry, rows: false }));
    await prisma.walker.createMany({
      data: [
        { name: 'A', email: 'a@example.com' },
        { name: 'B', email: 'b@example.com' },
      ],
    });
    await prisma.walker.findMany();
    const text = await scrape(registry);
    expect(sampleLines(text, 'prisma_model_inserts_total{model="Walker"}')).toEqual([
      'prisma_model_inserts_total{model="Walker"} 2',
    ]);
    expect(sampleLines(text, 'prisma_model_reads_total{model="Walker"}')).toEqual([
      'prisma_model_reads_total{model="Walker"} 1',
    ]);
  });
});
