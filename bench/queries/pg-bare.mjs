import { serveBenchLoop } from '../lib/loop-child.mjs';
import { pgQueries } from './pg-pool.mjs';

await serveBenchLoop((config) => pgQueries(config));
