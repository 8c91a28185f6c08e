import { serveBenchLoop } from '../lib/loop-child.mjs';
import { createDogWorkload } from './dog-client.mjs';

// A query extension that only calls the query: what Prisma itself charges for any extension,
// the floor under Promenade's own extension.
serveBenchLoop((config) =>
  createDogWorkload(config, {
    extend: { query: { $allModels: { $allOperations: ({ args, query }) => query(args) } } },
  }),
);
