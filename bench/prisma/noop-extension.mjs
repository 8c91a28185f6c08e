import { serveBenchLoop } from '../lib/loop-child.mjs';
import { createDogWorkload } from '../prisma/dog-client.mjs';

// A query extension that only calls the query: what Prisma itself charges for any extension.
serveBenchLoop((config) =>
  createDogWorkload(config, {
    extend: { query: { $allModels: { $allOperations: ({ args, query }) => query(args) } } },
  }),
);
