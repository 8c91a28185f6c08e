import { performance } from 'node:perf_hooks';

import { SeriesHistogram } from '@promenade/core/adapter';
import { DEFAULT_QUERY_BUCKETS } from '@promenade/db';
import { Registry } from 'prom-client';
import { serveBenchLoop } from '../lib/loop-child.mjs';
import { betterSqlite3Queries } from './better-sqlite3-database.mjs';

// The cheapest clock measured here (process.hrtime() and hrtime.bigint() cost more), as
// @promenade/db reads it.
const now = performance.now.bind(performance);

// The least a timed query can cost: the bare query between two clock reads and one histogram
// observation, with no wrapper around the statement. What the wrapper adds over it is its own.
await serveBenchLoop(async () => {
  const bare = await betterSqlite3Queries();
  const duration = SeriesHistogram.define(
    {
      name: 'floor_query_duration_seconds',
      help: 'The floor program.',
      labelNames: ['operation'],
      buckets: [...DEFAULT_QUERY_BUCKETS],
      registry: new Registry(),
    },
    { packageName: 'bench', remedy: 'none' },
  ).series(['SELECT']);
  return {
    operation: (index) => {
      const startedAt = now();
      const row = bare.operation(index);
      duration.observe((now() - startedAt) / 1000);
      return row;
    },
    close: bare.close,
  };
});
