import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

/**
 * The Nest suite and the conformance traffic again, on Nest 11: every import of a @nestjs
 * package, Promenade's sources included, resolves to this folder's Nest 11 copies, whose
 * platforms bring the Express and Fastify versions they were released with.
 */
const nest11 = fileURLToPath(new URL('./node_modules/@nestjs/', import.meta.url));

export default defineConfig({
  ...base,
  root: fileURLToPath(new URL('../..', import.meta.url)),
  resolve: {
    ...base.resolve,
    alias: [
      {
        find: /^@nestjs\/(common|core|platform-express|platform-fastify|testing)(?=\/|$)/,
        replacement: `${nest11}$1`,
      },
    ],
  },
  test: {
    ...base.test,
    name: 'nest11',
    include: ['packages/nest/test/**/*.test.ts', 'test/conformance/**/*.test.ts', 'test/nest11/**/*.test.ts'],
    exclude: configDefaults.exclude,
    // The Prisma fixture clients are not needed here.
    globalSetup: [],
  },
});
