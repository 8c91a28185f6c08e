import { instrumentIoredis } from '@promenade/cache';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import * as ioredis6 from 'ioredis6';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type RedisClusterHandle,
  type RedisHandle,
  startRedis,
  startRedisCluster,
} from '../../../test/support/stack.js';
import { expectKeyCounts, SCRIPTED_COUNTS, sample, scriptedWorkload } from './support/expect-cache.js';

// Real Redis 7, required: if it cannot start, this file fails.
let redis: RedisHandle;
let registry: Registry;
const clients: { quit(): Promise<unknown>; disconnect(): void }[] = [];
const single = { backend: 'ioredis', cache: 'main' };
const on = (labels: Record<string, string>) =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  await redis?.stop();
});

beforeEach(async () => {
  await redis.up();
  await redis.cli('FLUSHALL');
  registry = new Registry();
});

afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
});

// ioredis 5 and 6 run the same suite; both are used as the 5's types describe them.
const VERSIONS = [
  { version: 'ioredis 5', Redis, Cluster },
  {
    version: 'ioredis 6',
    Redis: ioredis6.Redis as unknown as typeof Redis,
    Cluster: ioredis6.Cluster as unknown as typeof Cluster,
  },
];

function client(Client: typeof Redis, options: RedisOptions = {}): Redis {
  const created = new Client(redis.port, '127.0.0.1', { lazyConnect: false, ...options });
  // The tests stop Redis: the client's connection errors are expected, and said by the metrics.
  created.on('error', () => {});
  clients.push(created);
  return created;
}

function ioredisCalls(target: Redis | Cluster) {
  return {
    set: (key: string, value: string) => target.set(key, value),
    get: (key: string) => target.get(key),
    mget: (keys: string[]) => target.mget(...keys),
    del: (key: string) => target.del(key),
    lpush: (key: string, value: string) => target.lpush(key, value),
  };
}

describe.each(VERSIONS)('$version, single node', ({ Redis: Client }) => {
  it('counts a scripted workload exactly: gets, hits, misses, failures, sets, deletes', async () => {
    const target = instrumentIoredis(client(Client), { registry, name: 'main' });
    await scriptedWorkload(ioredisCalls(target));
    await expectKeyCounts(registry, single, SCRIPTED_COUNTS);
    expect(await sample(registry, `cache_operations_total${on({ ...single, command: 'get' })}`)).toBe(5);
    expect(
      await sample(registry, `cache_operation_duration_seconds_count${on({ ...single, command: 'mget' })}`),
    ).toBe(1);
    expect(
      await sample(
        registry,
        `cache_operation_errors_total${on({ ...single, command: 'get', error_type: 'WRONGTYPE' })}`,
      ),
    ).toBe(1);
    // lpush is of the fixed set, a command outside it is folded.
    await target.call('OBJECT', 'ENCODING', 'b');
    expect(
      await sample(registry, `cache_operations_total${on({ ...single, command: 'other' })}`),
    ).toBeGreaterThanOrEqual(1);
  });

  it('counts a pipeline as the commands it holds, a failing one among them', async () => {
    const target = instrumentIoredis(client(Client), { registry, name: 'main' });
    await target.set('a', '1');
    await target.lpush('list', 'x');
    const results = await target.pipeline().get('a').get('missing').get('list').set('b', '2').exec();
    expect(results?.map(([error]) => error?.message.split(' ')[0] ?? null)).toEqual([
      null,
      null,
      'WRONGTYPE',
      null,
    ]);
    await expectKeyCounts(registry, single, { gets: 3, hits: 1, misses: 1, fails: 1, sets: 2, deletes: 0 });
  });

  it('counts a MULTI as what EXEC answers for each command, not as QUEUED replies', async () => {
    const target = instrumentIoredis(client(Client), { registry, name: 'main' });
    await target.set('a', '1');
    await target.lpush('list', 'x');
    await target.multi().get('a').get('missing').get('list').del('a').exec();
    await expectKeyCounts(registry, single, { gets: 3, hits: 1, misses: 1, fails: 1, sets: 1, deletes: 1 });
    expect(await sample(registry, `cache_operations_total${on({ ...single, command: 'multi' })}`)).toBe(1);
    expect(await sample(registry, `cache_operations_total${on({ ...single, command: 'exec' })}`)).toBe(1);
  });

  it('times a slow command in its own buckets', async () => {
    const target = instrumentIoredis(client(Client), { registry, name: 'main' });
    await target.call('DEBUG', 'SLEEP', '0.3');
    const labels = on({ ...single, command: 'debug' });
    expect(
      await sample(registry, `cache_operation_duration_seconds_bucket${labels.replace('}', ',le="0.25"}')}`),
    ).toBe(0);
    expect(
      await sample(registry, `cache_operation_duration_seconds_bucket${labels.replace('}', ',le="0.5"}')}`),
    ).toBe(1);
  });

  it('Redis stopped mid-run: failures counted by type, nothing thrown by the instrumentation, the fallback answers', async () => {
    const target = instrumentIoredis(client(Client, { maxRetriesPerRequest: 0, retryStrategy: () => 50 }), {
      registry,
      name: 'main',
    });
    // The application's read-through: the cache, else the source.
    const readThrough = async (key: string) => {
      try {
        return (await target.get(key)) ?? 'from-source';
      } catch {
        return 'from-source';
      }
    };
    await target.set('a', 'cached');
    expect(await readThrough('a')).toBe('cached');
    expect(await sample(registry, `cache_connected${on(single)}`)).toBe(1);
    await redis.down();
    expect(await readThrough('a')).toBe('from-source');
    expect(await readThrough('b')).toBe('from-source');
    await expectKeyCounts(registry, single, { gets: 3, hits: 1, misses: 0, fails: 2, sets: 1, deletes: 0 });
    expect(
      await sample(
        registry,
        `cache_operation_errors_total${on({ ...single, command: 'get', error_type: 'connection' })}`,
      ),
    ).toBe(2);
    expect(await sample(registry, `cache_connected${on(single)}`)).toBe(0);
  });

  it('counts a reconnection and follows the connection state', async () => {
    const target = instrumentIoredis(client(Client, { retryStrategy: () => 100 }), {
      registry,
      name: 'main',
    });
    await target.ping();
    expect(await sample(registry, `cache_reconnects_total${on(single)}`)).toBe(0);
    const readyAgain = new Promise<void>((resolve) => target.once('ready', () => resolve()));
    await redis.down();
    await redis.up();
    await readyAgain;
    expect(await target.get('a')).toBeNull();
    expect(await sample(registry, `cache_reconnects_total${on(single)}`)).toBeGreaterThanOrEqual(1);
    expect(await sample(registry, `cache_connected${on(single)}`)).toBe(1);
  });
});

describe.each(VERSIONS)('$version Cluster', ({ version, Cluster: ClusterClient }) => {
  let cluster: RedisClusterHandle;

  beforeAll(async () => {
    cluster = await startRedisCluster();
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('counts a scripted workload exactly through the cluster client', async () => {
    const nodes = cluster.ports.map((port) => ({ host: '127.0.0.1', port }));
    const target = instrumentIoredis(new ClusterClient(nodes), { registry, name: 'clustered' });
    clients.push(target);
    // MGET must name keys of one slot in a cluster: the hash tag puts them in one.
    await scriptedWorkload({
      ...ioredisCalls(target),
      set: (key, value) => target.set(`{${version}}${key}`, value),
      get: (key) => target.get(`{${version}}${key}`),
      mget: (keys) => target.mget(...keys.map((key) => `{${version}}${key}`)),
      del: (key) => target.del(`{${version}}${key}`),
      lpush: (key, value) => target.lpush(`{${version}}${key}`, value),
    });
    await expectKeyCounts(registry, { backend: 'ioredis_cluster', cache: 'clustered' }, SCRIPTED_COUNTS);
  });
});
