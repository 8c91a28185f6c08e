// A Keyv cache counted from CommonJS, served by core's metrics server.
const { instrumentKeyv } = require('@promenade/cache');
const { startMetricsServer } = require('@promenade/core');
const { Keyv } = require('keyv');

async function main() {
  const cache = instrumentKeyv(new Keyv(), { name: 'cjs' });
  await cache.set('walkers', ['Ada']);
  await cache.get('walkers');
  await startMetricsServer({ port: Number(process.env.PORT) });
}
main();
