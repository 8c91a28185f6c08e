import { instrumentMysql2 } from '@promenade/db';
import { Registry } from 'prom-client';
import { serveBenchLoop } from '../lib/loop-child.mjs';
import { mysql2Queries } from './mysql2-pool.mjs';

await serveBenchLoop((config) =>
  mysql2Queries(config, (pool) => instrumentMysql2(pool, { registry: new Registry(), alias: 'default' })),
);
