import { prismaMetrics } from '@promenade/orm-prisma';
import { serveBenchLoop } from '../lib/loop-child.mjs';
import { createDogWorkload } from './dog-client.mjs';

// Half of Promenade's instrumentation, to show which half costs what.
serveBenchLoop((config) => createDogWorkload(config, { extend: prismaMetrics() }));
