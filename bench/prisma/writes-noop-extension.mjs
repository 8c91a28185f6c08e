import { serveBenchLoop } from '../lib/loop-child.mjs';
import { createDogWriteWorkload } from './dog-writes.mjs';

// What Prisma charges for any query extension: the floor under the extension's model counts.
serveBenchLoop((config) =>
  createDogWriteWorkload(config, {
    extend: { query: { $allModels: { $allOperations: ({ args, query }) => query(args) } } },
  }),
);
