import { serveBenchLoop } from '../lib/loop-child.mjs';
import { createDogWorkload } from './dog-client.mjs';

serveBenchLoop((config) => createDogWorkload(config));
