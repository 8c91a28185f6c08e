import { instrumentAdapter, prismaMetrics } from '@promenade/orm-prisma';
import { serveBenchLoop } from '../lib/loop-child.mjs';
import { createDogWorkload } from './dog-client.mjs';

// Both halves of Promenade's Prisma instrumentation, as its README sets them up.
serveBenchLoop((config) =>
  createDogWorkload(config, {
    wrapAdapter: (adapter) => instrumentAdapter(adapter),
    extend: prismaMetrics(),
  }),
);
