import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  // Tests run on the TypeScript sources: the custom condition points each workspace
  // package at its src/index.ts, so no build is needed before testing.
  ssr: { resolve: { conditions: ['@promenade/source'] } },
  resolve: { conditions: ['@promenade/source'] },
  // Nest reads constructor parameter types from decorator metadata.
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'tools/*/test/**/*.test.ts',
      'test/**/*.test.ts',
      'examples/*/test/**/*.test.ts',
      'examples/*/deploy/test/**/*.test.ts',
    ],
    // Run with their own config (Nest 11 in place of the workspace's Nest).
    exclude: [...configDefaults.exclude, 'test/nest11/**'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Generates the Prisma clients of the fixtures and of the demo (git-ignored) when missing or stale.
    globalSetup: [
      'packages/orm-prisma/test/generate-clients.ts',
      'examples/dog-walker/scripts/generate-clients.mjs',
    ],
  },
});
