import { prismaMetrics } from '@promenade/orm-prisma';
import { serveBenchLoop } from '../lib/loop-child.mjs';
import { createDogWriteWorkload } from './dog-writes.mjs';

// Model counts from the client extension (which records the operations too).
serveBenchLoop((config) => createDogWriteWorkload(config, { extend: prismaMetrics() }));
