import type { DatabaseSystem } from '@promenade/db';

/**
 * The `db_system` label from a driver adapter's `provider`, in OpenTelemetry's words, as
 * @promenade/db's drivers say it: Prisma's adapters say `postgres` where the label says
 * `postgresql`, so a PrismaPg database and a pg Pool share a dashboard's series.
 */
const SYSTEMS: Readonly<Record<string, DatabaseSystem>> = {
  postgres: 'postgresql',
  postgresql: 'postgresql',
  sqlite: 'sqlite',
  mysql: 'mysql',
  sqlserver: 'microsoft.sql_server',
  cockroachdb: 'cockroachdb',
};

export function databaseSystemOf(provider: string): DatabaseSystem {
  return SYSTEMS[provider] ?? 'other';
}
