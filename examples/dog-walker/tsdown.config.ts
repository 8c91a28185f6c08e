import { defineConfig } from 'tsdown';

// One build for the whole demo: the workspace's Promenade packages are bundled from their
// TypeScript sources (the `@promenade/source` export condition), so starting the demo does not
// wait for six package builds. Every other dependency (prom-client, the frameworks, Prisma) stays
// external, loaded from node_modules, one copy for all.
export default defineConfig({
  entry: ['src/main.ts', 'src/index.ts', 'src/report-job.ts', 'src/report-thread.ts', 'src/consumer.ts'],
  format: ['esm'],
  dts: false,
  sourcemap: true,
  platform: 'node',
  target: 'node20',
  deps: { alwaysBundle: [/^@promenade\//], onlyBundle: false },
  inputOptions: { resolve: { conditionNames: ['@promenade/source', 'import', 'node', 'default'] } },
});
