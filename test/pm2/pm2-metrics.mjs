// The PM2 tests' metrics process, a fork-mode app: serves every instance's metrics aggregated.
// JavaScript, as PM2 refuses a .ts script on Node 20; its imports run the TypeScript sources.
import { startMetricsServer } from '@promenade/core';
import { Registry } from 'prom-client';

await startMetricsServer({
  port: Number(process.env.METRICS_PORT),
  registry: new Registry(),
  auth: false,
  socket: { path: process.env.METRICS_SOCKET, timeoutMs: 500, refreshIntervalMs: 500 },
});
