import { rotatingDogPaths, runLoad } from './load.mjs';

/**
 * How a child is put to work for `seconds`. Both return what the CPU figure is divided by
 * (`operations`) and context (`perSecond`, `p99Ms`) plus the count of operations that failed.
 */
export const DRIVERS = {
  /** Requests from autocannon (in this process) to GET /dogs/<0..999>. */
  async http(child, seconds) {
    const load = await runLoad({ port: child.port, nextRequest: rotatingDogPaths(), duration: seconds });
    return {
      operations: load.requests,
      perSecond: load.requestsPerSecond,
      p99Ms: load.p99Ms,
      failed: load.errors + load.timeouts + (load.requests - (load.statuses[200] ?? 0)),
    };
  },

  /** Back-to-back operations inside the child (bench/lib/loop-child.mjs). */
  async loop(child, seconds) {
    const ran = await child.ask({ type: 'run', seconds });
    return {
      operations: ran.operations,
      perSecond: ran.operations / ran.seconds,
      p99Ms: ran.p99Ms,
      failed: ran.failed,
    };
  },
};
