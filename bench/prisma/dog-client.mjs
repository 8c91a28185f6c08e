import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PRISMA_CLIENT_ENTRY } from '../lib/prisma-client.mjs';
import { DOG_COUNT } from '../lib/prisma-database.mjs';

const { PrismaClient } = await import(PRISMA_CLIENT_ENTRY);

/**
 * The benchmarked operation: `findUnique` of one dog by id, ids cycling over the table.
 * `wrapAdapter` and `extend` are where a variant adds its instrumentation.
 */
export async function createDogWorkload(config, { wrapAdapter = (adapter) => adapter, extend } = {}) {
  const base = new PrismaClient({
    adapter: wrapAdapter(new PrismaBetterSqlite3({ url: config.databaseUrl })),
  });
  const prisma = extend ? base.$extends(extend) : base;
  await prisma.$connect();
  return {
    operation: (index) => prisma.dog.findUnique({ where: { id: (index % DOG_COUNT) + 1 } }),
    close: () => prisma.$disconnect(),
  };
}
