import { instrumentPg } from '@promenade/db';
import { Registry } from 'prom-client';
import { serveBenchLoop } from '../lib/loop-child.mjs';
import { pgQueries } from './pg-pool.mjs';

await serveBenchLoop((config) =>
  pgQueries(config, (pool) => instrumentPg(pool, { registry: new Registry(), alias: 'default' })),
);
