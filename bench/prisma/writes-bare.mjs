import { serveBenchLoop } from '../lib/loop-child.mjs';
import { createDogWriteWorkload } from './dog-writes.mjs';

serveBenchLoop((config) => createDogWriteWorkload(config));
