import { serveBenchLoop } from '../lib/loop-child.mjs';
import { SQLITE_WORKLOADS } from './sqlite-workloads.mjs';

/** Serves one SQLite pattern's workload on databases made by `open` (see sqlite-workloads.mjs). */
export function serveSqliteWorkload(pattern, open) {
  return serveBenchLoop(() => SQLITE_WORKLOADS[pattern](open));
}
