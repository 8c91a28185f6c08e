import { performance } from 'node:perf_hooks';

// The clock every statement is timed with: perf_hooks' `performance.now`, bound once. The global
// `performance` is a lazy accessor on Node 20 (a global load and a getter call per read), and
// `process.hrtime()` and `process.hrtime.bigint()` cost more per query (bench/RESULTS.md).
export const now: () => number = performance.now.bind(performance);
