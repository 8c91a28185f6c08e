import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { createMigrationMetrics, instrumentAdapter, prismaMetrics } from '@promenade/orm-prisma';
import { applyMigrations } from '@promenade/prisma-migrate';
import pg from 'pg';
import type { Registry } from 'prom-client';
import { type DatabaseLocation, migrationsPath } from './database-url.js';
import { MODEL_NAMES, PostgresClient, type PrismaClient, SqliteClient } from './prisma-clients.js';

/** The Prisma client the domain uses, with Promenade's model-operation metrics. */
export type DogWalkerPrisma = ReturnType<typeof extend>;

// The rows written per model are counted at the driver adapter, which costs a fraction of the
// extension's price; the extension keeps what only it sees: operation names, their duration and
// Prisma's error codes.
function extend(client: PrismaClient, registry: Registry) {
  return client.$extends(prismaMetrics({ registry, models: MODEL_NAMES, rows: false }));
}

function adapterOptions(registry: Registry) {
  return { registry, models: MODEL_NAMES };
}

export interface Database {
  readonly provider: DatabaseLocation['provider'];
  readonly prisma: DogWalkerPrisma;
  close(): Promise<void>;
}

/**
 * Applies the pending migrations, the same folders `prisma migrate deploy` would apply, with the
 * repository's offline applier (Prisma's schema engine cannot always be downloaded). Idempotent:
 * a second start applies nothing.
 */
export async function migrateDatabase(location: DatabaseLocation): Promise<readonly string[]> {
  const { applied } = await applyMigrations({
    migrationsPath: migrationsPath(location.provider),
    database: location.url,
  });
  return applied;
}

/**
 * Opens the database with both halves of @promenade/orm-prisma on `registry`: the driver-adapter
 * wrapper (every statement on @promenade/db's schema, transactions, connections, pool gauges,
 * and the rows written per model) and the client extension (model operations), plus the
 * migration gauges.
 */
export function openDatabase(location: DatabaseLocation, registry: Registry): Database {
  const migrations = createMigrationMetrics({
    migrationsPath: migrationsPath(location.provider),
    database: location.url,
    registry,
  });
  if (location.provider === 'sqlite') {
    const adapter = instrumentAdapter(
      new PrismaBetterSqlite3({ url: location.url }),
      adapterOptions(registry),
    );
    const prisma = extend(new SqliteClient({ adapter }), registry);
    return {
      provider: 'sqlite',
      prisma,
      async close() {
        await prisma.$disconnect();
        await migrations.close();
      },
    };
  }
  const url = new URL(location.url);
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  const pool = new pg.Pool({ connectionString: url.toString(), max: 10 });
  const adapter = instrumentAdapter(
    new PrismaPg(pool, schema ? { schema } : undefined),
    adapterOptions(registry),
  );
  // Both clients have the same models and methods: one type serves the domain.
  const prisma = extend(new PostgresClient({ adapter }) as PrismaClient, registry);
  return {
    provider: 'postgresql',
    prisma,
    async close() {
      await prisma.$disconnect();
      await migrations.close();
      await pool.end();
    },
  };
}
