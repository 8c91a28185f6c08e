// The clock every statement is timed with, imported from Node's module rather than read as the
// global `performance`: on Node 20 the global is a lazy accessor, and reading it went through a
// getter on every query (a global load and a call, in the instruction profile of the SQLite bench).
export { performance } from 'node:perf_hooks';
