import { monitorPgPool } from '@christiangalsterer/node-postgres-prometheus-exporter';
import { Registry } from 'prom-client';
import { serveBenchLoop } from '../lib/loop-child.mjs';
import { pgQueries } from './pg-pool.mjs';

// The best-used pg peer: pool events only (connections created, acquired, released), no query timing.
await serveBenchLoop((config) =>
  pgQueries(config, (pool) => {
    monitorPgPool(pool, new Registry());
    return pool;
  }),
);
