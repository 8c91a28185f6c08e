import { instrumentAdapter } from '@promenade/orm-prisma';
import { serveBenchLoop } from '../lib/loop-child.mjs';
import { createDogWriteWorkload } from './dog-writes.mjs';

// Model counts at the driver adapter (with the database schema's statement metrics), no extension.
serveBenchLoop((config) =>
  createDogWriteWorkload(config, {
    wrapAdapter: (adapter) => instrumentAdapter(adapter, { models: ['Dog'] }),
  }),
);
