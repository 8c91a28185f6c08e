import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Counter, Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SocketAggregator, startSocketAggregator } from '../src/cluster/socket-aggregator.js';
import { reportToSocketAggregator } from '../src/cluster/socket-reporter.js';
import { startThreadAggregator } from '../src/cluster/thread-aggregator.js';
import type { ClusterWorkerReport } from '../src/cluster/worker-reporter.js';
import { startMetricsServer } from '../src/composition/metrics-server.js';
import { SeriesCounter } from '../src/families/series-counter.js';

// The socket transport in one process (the PM2 tests in test/pm2 run it across real instances):
// options, a socket file left over or in use, and a reporter that finds a restarted aggregator.

let dir: string;
let path: string;
const stops: (() => void)[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promenade-socket-'));
  path = join(dir, 'metrics.sock');
});

afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  await rm(dir, { recursive: true, force: true });
});

async function aggregator(options: { timeoutMs?: number } = {}): Promise<SocketAggregator> {
  const started = await startSocketAggregator({ path, registry: new Registry(), ...options });
  stops.push(() => started.stop());
  return started;
}

function report(registry: Registry): ClusterWorkerReport {
  const reporting = reportToSocketAggregator({ path, registry, retryMs: 50 });
  stops.push(() => reporting.stop());
  return reporting;
}

async function eventually(read: () => Promise<string>, line: string): Promise<void> {
  const until = Date.now() + 5000;
  while (!(await read()).split('\n').includes(line)) {
    if (Date.now() > until) throw new Error(`"${line}" not served within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('aggregation over a socket', () => {
  it('says which option is missing, in the house format', async () => {
    await expect(startSocketAggregator({} as never)).rejects.toMatchObject({
      code: 'ERR_PROMENADE_INVALID_OPTION',
      message: '@promenade/core: option "path" is required (received undefined)',
    });
    await expect(startMetricsServer({ socket: {} as never })).rejects.toMatchObject({
      code: 'ERR_PROMENADE_INVALID_OPTION',
      message: '@promenade/core: option "socket.path" is required (received undefined)',
    });
    await expect(startMetricsServer({ cluster: true, socket: { path } })).rejects.toMatchObject({
      code: 'ERR_PROMENADE_INVALID_OPTION',
      message: `@promenade/core: option "socket" cannot be given with "cluster" (received {"path":"${path}"})`,
    });
    await expect(startMetricsServer({ cluster: { fullRefreshIntervalMs: 0 } })).rejects.toMatchObject({
      code: 'ERR_PROMENADE_INVALID_OPTION',
      message:
        '@promenade/core: option "cluster.fullRefreshIntervalMs" must be a positive integer (received 0)',
    });
    expect(() => startThreadAggregator({ fullRefreshIntervalMs: 1.5 })).toThrow(
      '@promenade/core: option "fullRefreshIntervalMs" must be a positive integer (received 1.5)',
    );
    expect(() => startThreadAggregator({ timeout: 5 } as never)).toThrow(
      '@promenade/core: option "timeout" is not a known option; did you mean "timeoutMs"? (received 5)',
    );
    expect(() => reportToSocketAggregator({ path: '' })).toThrow(
      '@promenade/core: option "path" must be a non-empty string (received "")',
    );
  });

  it('replaces a socket file left over, and refuses one a live aggregator answers on', async () => {
    await writeFile(path, '');
    await aggregator();
    await expect(startSocketAggregator({ path })).rejects.toMatchObject({
      code: 'ERR_PROMENADE_SOCKET_IN_USE',
      message: `@promenade/core: another aggregator is listening on "${path}"`,
    });
  });

  it('sums the reporters, and a reporter names everything again to a restarted aggregator', async () => {
    const registry = new Registry();
    const jobs = new Counter({ name: 'socket_test_jobs_total', help: 'Jobs.', registers: [registry] });
    jobs.inc(3);
    const first = await aggregator();
    report(registry);
    await eventually(() => first.metrics(), 'socket_test_jobs_total 3');
    first.stop();

    jobs.inc(2);
    const second = await aggregator();
    await eventually(() => second.metrics(), 'socket_test_jobs_total 5');
    await eventually(() => second.metrics(), 'promenade_cluster_workers 1');
  });

  it('keeps a reporter’s counts when its connection closes', async () => {
    const registry = new Registry();
    const jobs = new Counter({ name: 'socket_test_jobs_total', help: 'Jobs.', registers: [registry] });
    jobs.inc(4);
    const served = await aggregator();
    const reporting = report(registry);
    await eventually(() => served.metrics(), 'socket_test_jobs_total 4');
    reporting.stop();
    await eventually(() => served.metrics(), 'promenade_cluster_workers 0');
    expect((await served.metrics()).split('\n')).toContain('socket_test_jobs_total 4');
  });

  it('never adds up a family served through another registry, whose samples are new objects at every collection', async () => {
    // A thread aggregator serves its own registry's families from their JSON: a counter found
    // under no name in the registry reported is not one of prom-client's live entries.
    const own = new Registry();
    const core = new SeriesCounter({
      name: 'socket_test_core_total',
      help: 'Core.',
      labelNames: ['m'],
      registry: own,
    });
    const client = new Counter({ name: 'socket_test_client_total', help: 'Client.', registers: [own] });
    core.series(['a']).inc(3);
    client.inc(2);
    const threads = startThreadAggregator({ registry: own });
    stops.push(() => threads.stop());
    const served = await startSocketAggregator({ path, registry: new Registry(), refreshIntervalMs: 20 });
    stops.push(() => served.stop());
    report(threads);
    await eventually(() => served.metrics(), 'socket_test_core_total{m="a"} 3');
    // Many background refreshes later, the same totals: each is not a new series to add.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const lines = (await served.metrics()).split('\n');
    expect(lines).toContain('socket_test_core_total{m="a"} 3');
    expect(lines).toContain('socket_test_client_total 2');
  });

  it('serves a reporter that aggregates its own threads with one family per name', async () => {
    const threads = startThreadAggregator({ registry: new Registry() });
    stops.push(() => threads.stop());
    const served = await aggregator();
    report(threads);
    await eventually(() => served.metrics(), 'promenade_threads 0');
    const types = (await served.metrics()).split('\n').filter((line) => line.startsWith('# TYPE '));
    expect(types.filter((line) => line.startsWith('# TYPE promenade_cluster_workers '))).toHaveLength(1);
    expect(new Set(types).size).toBe(types.length);
    expect((await served.metrics()).split('\n')).toContain('promenade_cluster_workers 1');
  });
});
