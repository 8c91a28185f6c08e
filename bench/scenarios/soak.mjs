import { startChild } from '../lib/child-process.mjs';
import { mib } from '../lib/format.mjs';
import { runLoad } from '../lib/load.mjs';
import { median } from '../lib/stats.mjs';

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

const APPS = [
  { name: 'bare Express', program: 'servers/express-bare' },
  { name: 'Promenade', program: 'servers/express-promenade' },
];

/**
 * A long run against the Promenade Express app, with bare Express beside it as the control
 * (resident memory moves with the allocator and the kernel, not only with the application):
 * `total` requests each, in `chunks` equal parts taken in turn by the two apps. After each
 * part the app collects its garbage and reports its memory.
 *
 * Growth is the median of the last third of the samples minus the median of the first third
 * after the warm-up (the first part): a leak is a trend, which this follows, while a single
 * step of the allocator or the kernel's reclaim (bare Express shows 10 MiB ones) does not.
 */
export async function measureSoak({ total, chunks, log }) {
  const apps = [];
  try {
    for (const app of APPS) {
      const child = await startChild(app.program, {}, { nodeArgs: ['--expose-gc'] });
      const initial = { requests: 0, ...(await child.memory()) };
      apps.push({
        ...app,
        child,
        nextRequest: soakRequests(),
        samples: [initial],
        statuses: {},
        failed: 0,
        seconds: 0,
      });
    }
    const perChunk = Math.ceil(total / chunks);
    for (let chunk = 0; chunk < chunks; chunk++) {
      for (const app of apps) {
        const load = await runLoad({ port: app.child.port, nextRequest: app.nextRequest, amount: perChunk });
        app.seconds += load.seconds;
        app.failed += load.errors + load.timeouts;
        for (const [status, count] of Object.entries(load.statuses)) {
          app.statuses[status] = (app.statuses[status] ?? 0) + count;
        }
        const memory = await app.child.memory();
        app.samples.push({ requests: app.samples.at(-1).requests + load.requests, ...memory });
        log(
          `  soak ${app.program} ${app.samples.at(-1).requests} requests: rss ${mib(memory.rss)} MiB, heap used ${mib(memory.heapUsed)} MiB, ${Math.round(load.requestsPerSecond)} req/s`,
        );
      }
    }
    return { total, chunks, apps: apps.map(summarize) };
  } finally {
    for (const app of apps) await app.child.stop();
  }
}

function summarize({ child, nextRequest, ...app }) {
  const afterWarmup = app.samples.slice(1);
  const third = Math.max(1, Math.floor(afterWarmup.length / 3));
  const first = afterWarmup.slice(0, third);
  const last = afterWarmup.slice(-third);
  const growth = (key) =>
    median(last.map((sample) => sample[key])) - median(first.map((sample) => sample[key]));
  return {
    ...app,
    requests: app.samples.at(-1).requests,
    requestsPerSecond: app.samples.at(-1).requests / app.seconds,
    growthAfterWarmup: { rss: growth('rss'), heapUsed: growth('heapUsed') },
  };
}
