import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PRISMA_CLIENT_ENTRY } from '../lib/prisma-client.mjs';
import { createDogDatabase, DOG_COUNT } from '../lib/prisma-database.mjs';

const { PrismaClient } = await import(PRISMA_CLIENT_ENTRY);

/**
 * The benchmarked write: `update` of one dog by id, ids cycling over the table, the row counted
 * by whichever instrumentation counts model rows (django-prometheus's model counters). Each
 * program writes to a database file of its own, made here unless the harness gives one.
 * `wrapAdapter` and `extend` are where a variant adds its instrumentation.
 */
export async function createDogWriteWorkload(config, { wrapAdapter = (adapter) => adapter, extend } = {}) {
  const own = config.databaseUrl ? undefined : createDogDatabase();
  const base = new PrismaClient({
    adapter: wrapAdapter(new PrismaBetterSqlite3({ url: config.databaseUrl ?? own.url })),
  });
  const prisma = extend ? base.$extends(extend) : base;
  await prisma.$connect();
  const data = { breed: 'beagle' };
  return {
    operation: (index) => prisma.dog.update({ where: { id: (index % DOG_COUNT) + 1 }, data }),
    close: async () => {
      await prisma.$disconnect();
      own?.remove();
    },
  };
}
