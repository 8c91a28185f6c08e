import { instrumentNodeRedis } from '@promenade/cache';
import { Registry } from 'prom-client';
import { createClient } from 'redis';
import { createClient as createClient6 } from 'redis6';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RedisHandle, startRedis } from '../../../test/support/stack.js';
import { expectKeyCounts, SCRIPTED_COUNTS, sample, scriptedWorkload } from './support/expect-cache.js';

// Real Redis 7, required: if it cannot start, this file fails.
let redis: RedisHandle;
let registry: Registry;
const clients: { destroy(): void; isOpen: boolean }[] = [];
const labels = { backend: 'node_redis', cache: 'main' };
const on = (extra: Record<string, string> = {}) =>
  `{${Object.entries({ ...labels, ...extra })
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
  for (const client of clients.splice(0)) if (client.isOpen) client.destroy();
});

// redis 5 and 6 run the same suite; both are used as the 5's types describe them.
const VERSIONS = [
  { version: 'redis 5', create: createClient },
  { version: 'redis 6', create: createClient6 as unknown as typeof createClient },
];
let create = createClient;

async function connected(reconnectStrategy: number | false = 50) {
  const client = create({ url: redis.url, socket: { reconnectStrategy } });
  // The tests stop Redis: the client's connection errors are expected, and said by the metrics.
  client.on('error', () => {});
  clients.push(client);
  const target = instrumentNodeRedis(client, { registry, name: 'main' });
  await target.connect();
  return target;
}

describe.each(VERSIONS)('node-redis: $version', ({ create: createVersion }) => {
  beforeEach(() => {
    create = createVersion;
  });

  it('counts a scripted workload exactly: gets, hits, misses, failures, sets, deletes', async () => {
    const target = await connected();
    await scriptedWorkload({
      set: (key, value) => target.set(key, value),
      get: (key) => target.get(key),
      mget: (keys) => target.mGet(keys),
      del: (key) => target.del(key),
      lpush: (key, value) => target.lPush(key, value),
    });
    await expectKeyCounts(registry, labels, SCRIPTED_COUNTS);
    expect(await sample(registry, `cache_operations_total${on({ command: 'get' })}`)).toBe(5);
    expect(
      await sample(
        registry,
        `cache_operation_errors_total${on({ command: 'get', error_type: 'WRONGTYPE' })}`,
      ),
    ).toBe(1);
    expect(await sample(registry, `cache_connected${on()}`)).toBe(1);
  });

  it('counts a MULTI as what EXEC answers for each command, a failing one among them', async () => {
    const target = await connected();
    await target.set('a', '1');
    await target.lPush('list', 'x');
    await expect(target.multi().get('a').get('missing').get('list').del('a').exec()).rejects.toThrow();
    await expectKeyCounts(registry, labels, { gets: 3, hits: 1, misses: 1, fails: 1, sets: 1, deletes: 1 });
  });

  it('counts a pipeline as the commands it holds', async () => {
    const target = await connected();
    await target.set('a', '1');
    await target.multi().get('a').get('missing').set('b', '2').execAsPipeline();
    await expectKeyCounts(registry, labels, { gets: 2, hits: 1, misses: 1, fails: 0, sets: 2, deletes: 0 });
  });

  it('counts a pipeline node-redis rejects as a whole as its commands, each failed with its error', async () => {
    const target = await connected();
    await target.lPush('list', 'x');
    // node-redis rejects the pipeline with its first error and does not say which command failed.
    await expect(target.multi().get('a').get('list').execAsPipeline()).rejects.toThrow(/WRONGTYPE/);
    await expectKeyCounts(registry, labels, { gets: 2, hits: 0, misses: 0, fails: 2, sets: 0, deletes: 0 });
    expect(
      await sample(
        registry,
        `cache_operation_errors_total${on({ command: 'get', error_type: 'WRONGTYPE' })}`,
      ),
    ).toBe(2);
  });

  it('times a slow command in its own buckets', async () => {
    const target = await connected();
    await target.sendCommand(['DEBUG', 'SLEEP', '0.3']);
    const le = (bound: string) => on({ command: 'debug', le: bound });
    expect(await sample(registry, `cache_operation_duration_seconds_bucket${le('0.25')}`)).toBe(0);
    expect(await sample(registry, `cache_operation_duration_seconds_bucket${le('0.5')}`)).toBe(1);
  });

  it('Redis stopped mid-run: failures counted by type, the fallback answers', async () => {
    const target = await connected(false);
    const readThrough = async (key: string) => {
      try {
        return (await target.get(key)) ?? 'from-source';
      } catch {
        return 'from-source';
      }
    };
    await target.set('a', 'cached');
    expect(await readThrough('a')).toBe('cached');
    await redis.down();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await readThrough('a')).toBe('from-source');
    expect(await readThrough('b')).toBe('from-source');
    await expectKeyCounts(registry, labels, { gets: 3, hits: 1, misses: 0, fails: 2, sets: 1, deletes: 0 });
    expect(
      await sample(
        registry,
        `cache_operation_errors_total${on({ command: 'get', error_type: 'connection' })}`,
      ),
    ).toBe(2);
    expect(await sample(registry, `cache_connected${on()}`)).toBe(0);
  });

  it('counts a reconnection', async () => {
    const target = await connected(50);
    await target.ping();
    const readyAgain = new Promise<void>((resolve) => target.once('ready', () => resolve()));
    await redis.down();
    await redis.up();
    await readyAgain;
    expect(await target.get('a')).toBeNull();
    expect(await sample(registry, `cache_reconnects_total${on()}`)).toBeGreaterThanOrEqual(1);
    expect(await sample(registry, `cache_connected${on()}`)).toBe(1);
  });
});
