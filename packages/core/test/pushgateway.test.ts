import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { decodeProtobufPage } from '@promenade/core/testing';
import { Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PushgatewayHandle, startPushgateway } from '../../../test/support/stack.js';
import { SeriesCounter } from '../src/adapter.js';
import { writeRegistry } from '../src/exposition/collect-families.js';
import { writerFor } from '../src/exposition/negotiate.js';
import { createPushgatewayClient, PromenadeError } from '../src/index.js';
import { groupingPath } from '../src/pushgateway/grouping-path.js';
import {
  HandBuiltNativeHistogram,
  NINE_OBSERVATIONS,
  NINE_OBSERVATIONS_IN_PROTO,
  NINE_OBSERVATIONS_SUM,
} from './fixtures/hand-built-native-histogram.js';
import { SCRAPER_ACCEPT } from './fixtures/scraper-accept.js';

function registryWith(value: number, name = 'promenade_test_rows_total'): Registry {
  const registry = new Registry();
  const rows = new Counter({ name, help: 'Rows processed.', registers: [registry] });
  rows.inc(value);
  return registry;
}

/** The registry's protobuf page, as the client pushes it. */
function pageOf(registry: Registry): Promise<Buffer> {
  return writeRegistry(registry, writerFor('protobuf'));
}

/** The gateway's lines for `name` (its own page, push_time_seconds included). */
function linesOf(page: string, name: string): string[] {
  return page.split('\n').filter((line) => line.startsWith(`${name}{`));
}

/** A TCP server that accepts connections and never answers. */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('grouping path', () => {
  it('writes plain values URI-encoded and values with "/" or empty in the @base64 form', () => {
    expect(groupingPath('nightly', { instance: 'a b', path: '/var/tmp', empty: '' })).toBe(
      '/metrics/job/nightly/instance/a%20b/path@base64/L3Zhci90bXA/empty@base64/=',
    );
    expect(groupingPath('a/b', {})).toBe('/metrics/job@base64/YS9i');
  });
});

describe('Pushgateway client against the real Pushgateway', () => {
  let gateway: PushgatewayHandle;
  beforeAll(async () => {
    gateway = await startPushgateway();
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it('pushes (PUT) a registry that reads back from the gateway with its push time', async () => {
    const client = createPushgatewayClient({ url: gateway.url });
    const before = Date.now() / 1000;
    await client.push({ job: 'put_job', grouping: { instance: 'i1' }, registry: registryWith(7) });
    const page = await gateway.metrics();
    expect(linesOf(page, 'promenade_test_rows_total')).toContain(
      'promenade_test_rows_total{instance="i1",job="put_job"} 7',
    );
    const pushTime = linesOf(page, 'push_time_seconds').find((line) => line.includes('job="put_job"'));
    expect(Number(pushTime?.split(' ')[1])).toBeGreaterThanOrEqual(Math.floor(before));
  });

  it('pushes in protobuf: the gateway keeps every kind of family, native buckets and start timestamps included', async () => {
    const registry = new Registry();
    new Counter({
      name: 'proto_rows_total',
      help: 'Rows.',
      labelNames: ['table'],
      registers: [registry],
    }).inc({ table: 'dogs' }, 7);
    new Gauge({ name: 'proto_queue_depth', help: 'Depth.', registers: [registry] }).set(-2.5);
    new Histogram({
      name: 'proto_step_seconds',
      help: 'Steps.',
      buckets: [1, 5],
      registers: [registry],
    }).observe(3);
    new Summary({
      name: 'proto_size_bytes',
      help: 'Sizes.',
      percentiles: [0.5],
      registers: [registry],
    }).observe(10);
    new HandBuiltNativeHistogram(
      'proto_walk_seconds',
      'Walks.',
      [{ labels: {}, sum: NINE_OBSERVATIONS_SUM, count: 9, native: NINE_OBSERVATIONS }],
      registry,
    );
    const started = new SeriesCounter({
      name: 'proto_started_total',
      help: 'Started.',
      labelNames: [],
      registry,
    });
    started.series([]).inc(2);
    const client = createPushgatewayClient({ url: gateway.url, format: 'protobuf' });
    await client.push({ job: 'proto', registry });
    const text = await gateway.metrics();
    expect(linesOf(text, 'proto_rows_total')).toEqual([
      'proto_rows_total{instance="",job="proto",table="dogs"} 7',
    ]);
    expect(linesOf(text, 'proto_queue_depth')).toEqual(['proto_queue_depth{instance="",job="proto"} -2.5']);
    expect(linesOf(text, 'proto_step_seconds_bucket')).toEqual([
      'proto_step_seconds_bucket{instance="",job="proto",le="1"} 0',
      'proto_step_seconds_bucket{instance="",job="proto",le="5"} 1',
      'proto_step_seconds_bucket{instance="",job="proto",le="+Inf"} 1',
    ]);
    expect(linesOf(text, 'proto_size_bytes')).toEqual([
      'proto_size_bytes{instance="",job="proto",quantile="0.5"} 10',
    ]);
    // The gateway's own protobuf page, as Prometheus with native histograms reads it.
    const answer = await fetch(`${gateway.url}/metrics`, {
      headers: { accept: SCRAPER_ACCEPT.prometheus2_42NativeHistograms },
    });
    const families = await decodeProtobufPage(new Uint8Array(await answer.arrayBuffer()));
    // A start timestamp is newer than the gateway's metrics.proto: kept as it came, and served
    // again in protobuf only.
    const [pushedStart] = (await decodeProtobufPage(await pageOf(registry))).find(
      (family) => family.name === 'proto_started_total',
    )!.metric;
    const [servedStart] = families.find((family) => family.name === 'proto_started_total')!.metric;
    expect(servedStart?.counter).toEqual(pushedStart?.counter);
    expect(servedStart?.counter?.createdTimestamp?.seconds).toBeGreaterThan(0);
    expect(linesOf(text, 'proto_started_created')).toEqual([]);
    // Its text page shows a native histogram's count and sum only.
    expect(text.split('\n').filter((line) => line.startsWith('proto_walk_seconds'))).toEqual([
      'proto_walk_seconds_bucket{instance="",job="proto",le="+Inf"} 9',
      `proto_walk_seconds_sum{instance="",job="proto"} ${NINE_OBSERVATIONS_SUM}`,
      'proto_walk_seconds_count{instance="",job="proto"} 9',
    ]);
    const walk = families.find((family) => family.name === 'proto_walk_seconds');
    expect(walk?.type).toBe('HISTOGRAM');
    expect(walk?.metric[0]?.histogram).toMatchObject(NINE_OBSERVATIONS_IN_PROTO);
  });

  it('replaces the group on push and keeps other names on push-add', async () => {
    const client = createPushgatewayClient({ url: gateway.url, gzip: false });
    const group = { job: 'add_job', grouping: { instance: 'i2' } };
    await client.push({ ...group, registry: registryWith(1, 'promenade_test_a_total') });
    await client.pushAdd({ ...group, registry: registryWith(2, 'promenade_test_b_total') });
    let page = await gateway.metrics();
    expect(linesOf(page, 'promenade_test_a_total')).toEqual([
      'promenade_test_a_total{instance="i2",job="add_job"} 1',
    ]);
    expect(linesOf(page, 'promenade_test_b_total')).toEqual([
      'promenade_test_b_total{instance="i2",job="add_job"} 2',
    ]);
    await client.push({ ...group, registry: registryWith(3, 'promenade_test_b_total') });
    page = await gateway.metrics();
    expect(linesOf(page, 'promenade_test_a_total')).toEqual([]);
    expect(linesOf(page, 'promenade_test_b_total')).toEqual([
      'promenade_test_b_total{instance="i2",job="add_job"} 3',
    ]);
  });

  it('round-trips grouping values with "/", spaces and empty strings, and deletes the group', async () => {
    const client = createPushgatewayClient({ url: gateway.url });
    const grouping = { path: '/var/tmp/x', owner: 'dog walker', shard: '' };
    await client.push({ job: 'odd/job', grouping, registry: registryWith(5, 'promenade_test_odd_total') });
    const lines = linesOf(await gateway.metrics(), 'promenade_test_odd_total');
    expect(lines).toEqual([
      'promenade_test_odd_total{instance="",job="odd/job",owner="dog walker",path="/var/tmp/x",shard=""} 5',
    ]);
    await client.delete({ job: 'odd/job', grouping });
    // The Pushgateway answers a DELETE with 202 and applies it after: wait for it, up to 5 s.
    let left = linesOf(await gateway.metrics(), 'promenade_test_odd_total');
    for (const until = Date.now() + 5000; left.length > 0 && Date.now() < until; ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      left = linesOf(await gateway.metrics(), 'promenade_test_odd_total');
    }
    expect(left).toEqual([]);
  });

  it('sends basic auth and bearer credentials in the Authorization header', async () => {
    // The Debian gateway has no auth of its own; a recording server shows what is sent.
    const seen: (string | undefined)[] = [];
    const { createServer: createHttpServer } = await import('node:http');
    const server = createHttpServer((req, res) => {
      seen.push(req.headers.authorization);
      req.resume();
      req.on('end', () => res.writeHead(200).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await createPushgatewayClient({ url, auth: { username: 'job', password: 's3cret' } }).delete({
        job: 'j',
      });
      await createPushgatewayClient({ url, auth: { token: 'tok' } }).delete({ job: 'j' });
    } finally {
      server.close();
    }
    expect(seen).toEqual([`Basic ${Buffer.from('job:s3cret').toString('base64')}`, 'Bearer tok']);
  });

  it('rejects with the status and the gateway message when the gateway refuses the push', async () => {
    const client = createPushgatewayClient({ url: gateway.url });
    await client.push({ job: 'first', registry: registryWith(1, 'promenade_test_kind') });
    // The same name with another type in another group is inconsistent: the gateway says 400.
    const registry = new Registry();
    new Gauge({ name: 'promenade_test_kind', help: 'Rows processed.', registers: [registry] }).set(1);
    const error = await client.push({ job: 'bad', registry }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PromenadeError);
    expect((error as PromenadeError).code).toBe('ERR_PROMENADE_PUSH_FAILED');
    expect((error as Error).message).toMatch(
      new RegExp(`^@promenade/core: push failed: PUT ${gateway.url}/metrics/job/bad answered 400: .+`),
    );
  });

  it('rejects, never throws, for invalid calls, and never changes the caller objects', async () => {
    const client = createPushgatewayClient({ url: gateway.url });
    const grouping = Object.freeze({ job: 'x' });
    const call = () => client.push({ job: 'j', grouping, registry: registryWith(1) });
    let promise: Promise<void> | undefined;
    expect(() => {
      promise = call();
    }).not.toThrow();
    await expect(promise).rejects.toThrow(
      '@promenade/core: option "push.grouping.job" must be given as "job" itself (received "x")',
    );
    await expect(client.pushAdd({ job: '' })).rejects.toThrow(
      '@promenade/core: option "push-add.job" must be a non-empty string (received "")',
    );
  });
});

describe('Pushgateway client when the gateway is away', () => {
  it('rejects within the time limit when nothing listens (a stopped gateway)', async () => {
    const gateway = await startPushgateway();
    const url = gateway.url;
    await gateway.stop();
    const client = createPushgatewayClient({ url, timeoutMs: 2000 });
    const started = Date.now();
    await expect(client.push({ job: 'j', registry: registryWith(1) })).rejects.toThrow(
      new RegExp(`^@promenade/core: push failed: PUT ${url}/metrics/job/j: connect ECONNREFUSED`),
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('rejects at the time limit when the gateway accepts and never answers', async () => {
    const silent = await silentServer();
    try {
      const client = createPushgatewayClient({ url: silent.url, timeoutMs: 300 });
      const started = Date.now();
      await expect(client.pushAdd({ job: 'j', registry: registryWith(1) })).rejects.toThrow(
        `@promenade/core: push-add failed: POST ${silent.url}/metrics/job/j: no answer within 300 ms`,
      );
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(2000);
    } finally {
      await silent.close();
    }
  });

  it('rejects when the caller aborts', async () => {
    const silent = await silentServer();
    try {
      const client = createPushgatewayClient({ url: silent.url });
      const controller = new AbortController();
      const pending = client.delete({ job: 'j', signal: controller.signal });
      setTimeout(() => controller.abort(new Error('job cancelled')), 50);
      await expect(pending).rejects.toThrow(
        `@promenade/core: delete failed: DELETE ${silent.url}/metrics/job/j: aborted (job cancelled)`,
      );
    } finally {
      await silent.close();
    }
  });

  it('fails at creation on invalid options', () => {
    expect(() => createPushgatewayClient({ url: 'ftp://x' })).toThrow(
      '@promenade/core: option "pushgateway.url" must be an http:// or https:// URL (received "ftp://x")',
    );
    expect(() => createPushgatewayClient({ url: 'http://x', timeout: 5 } as never)).toThrow(
      /option "pushgateway.timeout" is not a known option; did you mean "timeoutMs"\?/,
    );
    expect(() => createPushgatewayClient({ url: 'http://x', format: 'json' } as never)).toThrow(
      '@promenade/core: option "pushgateway.format" must be "text" or "protobuf" (received "json")',
    );
  });
});
