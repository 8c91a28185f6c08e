// The driver-adapter wrapper from CommonJS, driving the adapter directly (no generated client).
const { PrismaBetterSqlite3 } = require('@prisma/adapter-better-sqlite3');
const { startMetricsServer } = require('@promenade/core');
const { instrumentAdapter } = require('@promenade/orm-prisma');

async function main() {
  const factory = instrumentAdapter(new PrismaBetterSqlite3({ url: ':memory:' }), { alias: 'cjs' });
  const adapter = await factory.connect();
  await adapter.queryRaw({ sql: 'SELECT 1', args: [], argTypes: [] });
  await startMetricsServer({ port: Number(process.env.PORT) });
}
main();
