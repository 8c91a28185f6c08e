import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { serveBenchLoop } from '../lib/loop-child.mjs';
import { SQLITE_WORKLOADS } from './sqlite-workloads.mjs';

/**
 * The in-memory point select between two reads of the clock the wrapper reads (perf_hooks'
 * `performance.now`, bound once), their difference kept and nothing else: no histogram, no
 * wrapper around the statement. Its distance to bare better-sqlite3 is the least that timing
 * every query costs on this query, whatever does the timing.
 */
const now = performance.now.bind(performance);
let elapsed = 0;

await serveBenchLoop(() => {
  const { operation, close } = SQLITE_WORKLOADS.point((file) => new Database(file));
  return {
    operation: (index) => {
      const startedAt = now();
      const row = operation(index);
      elapsed += now() - startedAt;
      return row;
    },
    close: async () => {
      await close();
      return elapsed;
    },
  };
});
