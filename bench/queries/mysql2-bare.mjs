import { serveBenchLoop } from '../lib/loop-child.mjs';
import { mysql2Queries } from './mysql2-pool.mjs';

await serveBenchLoop((config) => mysql2Queries(config));
