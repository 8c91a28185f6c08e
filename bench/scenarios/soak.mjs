import { startChild } from '../lib/child-process.mjs';
import { runLoad } from '../lib/load.mjs';

const STATUSES = [200, 201, 204, 301, 400, 404, 410, 500, 503];

/**
 * Rotating traffic: 6 in 10 requests to /dogs/<0..999>, 3 to /status/<code> over 9 statuses,
 * 1 to a never-repeated unmatched URL. The unmatched URLs are what would leak if a raw path
 * were kept anywhere.
 */
function soakRequests() {
  let index = 0;
  return () => {
    const i = index++;
    const slot = i % 10;
    if (slot < 6) return { path: `/dogs/${i % 1000}` };
    if (slot < 9) return { path: `/status/${STATUSES[i % STATUSES.length]}` };
    return { path: `/unmatched/${i}` };
  };
}

/**
 * A long run against the Promenade Express app: `total` requests in `chunks` equal parts;
 * after each part the server collects its garbage and reports its memory. Growth is taken
 * from the end of the first part (the warm-up) to the end of the last.
 */
export async function measureSoak({ total, chunks, log }) {
  const child = await startChild('servers/express-promenade', {}, { nodeArgs: ['--expose-gc'] });
  try {
    const nextRequest = soakRequests();
    const perChunk = Math.ceil(total / chunks);
    const samples = [{ requests: 0, ...(await child.memory()) }];
    const statuses = {};
    let requests = 0;
    let failed = 0;
    let seconds = 0;
    for (let chunk = 0; chunk < chunks; chunk++) {
      const load = await runLoad({ port: child.port, nextRequest, amount: perChunk });
      requests += load.requests;
      seconds += load.seconds;
      failed += load.errors + load.timeouts;
      for (const [status, count] of Object.entries(load.statuses))
        statuses[status] = (statuses[status] ?? 0) + count;
      const memory = await child.memory();
      samples.push({ requests, ...memory });
      log(
        `  soak ${requests} requests: rss ${mib(memory.rss)} MiB, heap used ${mib(memory.heapUsed)} MiB, ${Math.round(load.requestsPerSecond)} req/s`,
      );
    }
    const warm = samples[1];
    const last = samples.at(-1);
    return {
      requests,
      requestsPerSecond: requests / seconds,
      failed,
      statuses,
      samples,
      growthAfterWarmup: { rss: last.rss - warm.rss, heapUsed: last.heapUsed - warm.heapUsed },
    };
  } finally {
    await child.stop();
  }
}

export function mib(bytes) {
  return (bytes / 2 ** 20).toFixed(1);
}
