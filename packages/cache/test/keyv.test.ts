import KeyvRedis from '@keyv/redis';
import { instrumentCacheManager, instrumentKeyv } from '@promenade/cache';
import { scrape } from '@promenade/core/testing';
import { createCache } from 'cache-manager';
import Keyv from 'keyv';
import { Keyv as Keyv6 } from 'keyv6';
import { Registry } from 'prom-client';
import { createClient } from 'redis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RedisHandle, startRedis } from '../../../test/support/stack.js';
import { expectKeyCounts, sample } from './support/expect-cache.js';

// Real Redis 7 for @keyv/redis, required: if it cannot start, this file fails.
let redis: RedisHandle;
let registry: Registry;

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

/** 2 sets; gets of a (hit), c (miss); getMany of a, b, c (2 hits, 1 miss); a delete; a get of a (miss). */
async function keyvWorkload(cache: Keyv): Promise<void> {
  await cache.set('a', 1);
  await cache.set('b', 2);
  expect(await cache.get('a')).toBe(1);
  expect(await cache.get('c')).toBeUndefined();
  expect(await cache.get(['a', 'b', 'c'])).toEqual([1, 2, undefined]);
  await cache.delete('a');
  expect(await cache.get('a')).toBeUndefined();
}
const KEYV_COUNTS = { gets: 6, hits: 3, misses: 3, fails: 0, sets: 2, deletes: 1 };
const ZERO_COUNTS = { gets: 0, hits: 0, misses: 0, fails: 0, sets: 0, deletes: 0 };

describe('Keyv', () => {
  it('in memory: counts a scripted workload exactly, a get of several keys once', async () => {
    const cache = instrumentKeyv(new Keyv(), { registry, name: 'memory' });
    await keyvWorkload(cache);
    await expectKeyCounts(registry, { backend: 'keyv', cache: 'memory' }, KEYV_COUNTS);
  });

  // Keyv 6 declares Node >= 22.19; CI runs this file on Node 22 and 24 as well.
  it('Keyv 6 in memory: counts the same workload exactly', async () => {
    const cache = instrumentKeyv(new Keyv6(), { registry, name: 'memory6' });
    await keyvWorkload(cache as unknown as Keyv);
    await expectKeyCounts(registry, { backend: 'keyv', cache: 'memory6' }, KEYV_COUNTS);
  });

  /** The page's duration histogram lines of one cache: none when its calls are not timed. */
  async function durationLines(cache: string): Promise<string[]> {
    const page = await scrape(registry);
    return page
      .split('\n')
      .filter(
        (line) =>
          line.startsWith('cache_operation_duration_seconds_count') && line.includes(`cache="${cache}"`),
      );
  }

  for (const [version, create] of [
    ['5', () => new Keyv()],
    ['6', () => new Keyv6() as unknown as Keyv],
  ] as const) {
    it(`Keyv ${version} in memory: counted from Keyv's own reports, operations by key, no call timed`, async () => {
      const cache = instrumentKeyv(create(), { registry, name: 'memory' });
      await keyvWorkload(cache);
      await expectKeyCounts(registry, { backend: 'keyv', cache: 'memory' }, KEYV_COUNTS);
      const on = '{backend="keyv",cache="memory",command=';
      expect(await sample(registry, `cache_operations_total${on}"get"}`)).toBe(6);
      expect(await sample(registry, `cache_operations_total${on}"set"}`)).toBe(2);
      expect(await sample(registry, `cache_operations_total${on}"delete"}`)).toBe(1);
      expect(await durationLines('memory')).toEqual([]);
    });

    it(`Keyv ${version} in memory with latency: true: every call timed, by method`, async () => {
      const cache = instrumentKeyv(create(), { registry, name: 'memory', latency: true });
      await keyvWorkload(cache);
      await expectKeyCounts(registry, { backend: 'keyv', cache: 'memory' }, KEYV_COUNTS);
      expect(await durationLines('memory')).toEqual([
        'cache_operation_duration_seconds_count{backend="keyv",cache="memory",command="set"} 2',
        'cache_operation_duration_seconds_count{backend="keyv",cache="memory",command="get"} 3',
        'cache_operation_duration_seconds_count{backend="keyv",cache="memory",command="get_many"} 1',
        'cache_operation_duration_seconds_count{backend="keyv",cache="memory",command="delete"} 1',
      ]);
    });
  }

  it('Keyv 5 in memory: raw gets, getMany, deleteMany and a get of an expired key are counted by key', async () => {
    const cache = instrumentKeyv(new Keyv(), { registry, name: 'memory' });
    await cache.set('a', 1);
    await cache.set('b', 2);
    await cache.set('old', 3, 1);
    expect((await cache.getRaw('a'))?.value).toBe(1);
    expect(await cache.getRaw('c')).toBeUndefined();
    expect((await cache.getManyRaw(['a', 'c'])).map((row) => row?.value)).toEqual([1, undefined]);
    expect(await cache.getMany(['a', 'b', 'c'])).toEqual([1, 2, undefined]);
    // A page read between calls adds what was counted so far and no more.
    await expectKeyCounts(
      registry,
      { backend: 'keyv', cache: 'memory' },
      { gets: 7, hits: 4, misses: 3, fails: 0, sets: 3, deletes: 0 },
    );
    expect(await cache.getMany([])).toEqual([]);
    await cache.deleteMany(['a', 'b', 'nothing']);
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Expired: a miss, and the delete Keyv makes of it.
    expect(await cache.get('old')).toBeUndefined();
    await expectKeyCounts(
      registry,
      { backend: 'keyv', cache: 'memory' },
      { gets: 8, hits: 4, misses: 4, fails: 0, sets: 3, deletes: 4 },
    );
    const on = '{backend="keyv",cache="memory",command=';
    expect(await sample(registry, `cache_operations_total${on}"get"}`)).toBe(8);
    expect(await sample(registry, `cache_operations_total${on}"delete"}`)).toBe(4);
  });

  it('in memory: instances instrumented under one name count into one tally, on both Keyv 5 and 6', async () => {
    await Promise.all(
      [new Keyv(), new Keyv(), new Keyv6() as unknown as Keyv, new Keyv6() as unknown as Keyv].map(
        async (keyv) => {
          const cache = instrumentKeyv(keyv, { registry, name: 'shared' });
          await cache.set('a', 1);
          expect(await cache.get('a')).toBe(1);
          expect(await cache.get('b')).toBeUndefined();
        },
      ),
    );
    await expectKeyCounts(
      registry,
      { backend: 'keyv', cache: 'shared' },
      { gets: 8, hits: 4, misses: 4, fails: 0, sets: 4, deletes: 0 },
    );
  });

  it('in memory: a failure Keyv reports is counted, under the command other', async () => {
    const cache = instrumentKeyv(new Keyv(), { registry, name: 'memory' });
    await expect(cache.set('a', Symbol('not serializable'))).rejects.toThrow(/symbol cannot be serialized/);
    expect(
      await sample(
        registry,
        'cache_operation_errors_total{backend="keyv",cache="memory",command="other",error_type="other"}',
      ),
    ).toBe(1);
    await expectKeyCounts(registry, { backend: 'keyv', cache: 'memory' }, { ...ZERO_COUNTS });
  });

  it('on @keyv/redis: every call is timed by default', async () => {
    const cache = instrumentKeyv(new Keyv({ store: new KeyvRedis(redis.url) }), { registry, name: 'shared' });
    await keyvWorkload(cache);
    expect(await durationLines('shared')).toEqual([
      'cache_operation_duration_seconds_count{backend="keyv",cache="shared",command="set"} 2',
      'cache_operation_duration_seconds_count{backend="keyv",cache="shared",command="get"} 3',
      'cache_operation_duration_seconds_count{backend="keyv",cache="shared",command="get_many"} 1',
      'cache_operation_duration_seconds_count{backend="keyv",cache="shared",command="delete"} 1',
    ]);
    await cache.disconnect();
  });

  it('on @keyv/redis: counts the same workload exactly', async () => {
    const cache = instrumentKeyv(new Keyv({ store: new KeyvRedis(redis.url) }), { registry, name: 'shared' });
    await keyvWorkload(cache);
    await expectKeyCounts(registry, { backend: 'keyv', cache: 'shared' }, KEYV_COUNTS);
    await cache.disconnect();
  });

  it('on @keyv/redis with Redis stopped: a get Keyv answers as a miss counts as a failure, the fallback answers', async () => {
    // No offline queue: a command sent while Redis is away fails at once rather than waiting.
    const client = createClient({
      url: redis.url,
      disableOfflineQueue: true,
      socket: { reconnectStrategy: 50 },
    });
    client.on('error', () => {});
    const store = new KeyvRedis(client as never, { throwOnConnectError: false });
    store.on('error', () => {});
    const cache = instrumentKeyv(new Keyv({ store }), { registry, name: 'shared' });
    cache.on('error', () => {});
    await cache.set('a', 1);
    expect(await cache.get('a')).toBe(1);
    await redis.down();
    const value = (await cache.get('a')) ?? 'from-source';
    expect(value).toBe('from-source');
    await expectKeyCounts(
      registry,
      { backend: 'keyv', cache: 'shared' },
      {
        gets: 2,
        hits: 1,
        misses: 0,
        fails: 1,
        sets: 1,
        deletes: 0,
      },
    );
    await redis.up();
    await cache.disconnect().catch(() => {});
  });
});

describe('Keyv with latency: false on @keyv/redis', () => {
  it('counts the calls from what Keyv reports: with Redis stopped, a get is a miss, and the errors Keyv emits count under other', async () => {
    const client = createClient({
      url: redis.url,
      disableOfflineQueue: true,
      socket: { reconnectStrategy: 50 },
    });
    client.on('error', () => {});
    const store = new KeyvRedis(client as never, { throwOnConnectError: false });
    store.on('error', () => {});
    const cache = instrumentKeyv(new Keyv({ store }), { registry, name: 'shared', latency: false });
    await cache.set('a', 1);
    expect(await cache.get('a')).toBe(1);
    await redis.down();
    expect(await cache.get('a')).toBeUndefined();
    await expectKeyCounts(
      registry,
      { backend: 'keyv', cache: 'shared' },
      { gets: 2, hits: 1, misses: 1, fails: 0, sets: 1, deletes: 0 },
    );
    // Every error Keyv emits counts, the client's own while it reconnects too: at least the get's.
    const errors = await sample(
      registry,
      'cache_operation_errors_total{backend="keyv",cache="shared",command="other",error_type="connection"}',
    );
    expect(errors).toBeGreaterThanOrEqual(1);
    expect((await scrape(registry)).includes('cache_operation_duration_seconds_count{backend="keyv"')).toBe(
      false,
    );
    await redis.up();
    await cache.disconnect().catch(() => {});
  });
});

describe('cache-manager', () => {
  it('counts each tier of a two-tier cache, memory in front of Redis, and wrap as get then set', async () => {
    const memory = new Keyv();
    const shared = new Keyv({ store: new KeyvRedis(redis.url) });
    const cache = instrumentCacheManager(createCache({ stores: [memory, shared] }), {
      registry,
      name: 'walkers',
    });
    await cache.set('a', 1);
    expect(await cache.get('a')).toBe(1);
    expect(await cache.get('missing')).toBeUndefined();
    let computed = 0;
    expect(await cache.wrap('w', async () => ++computed)).toBe(1);
    expect(await cache.wrap('w', async () => ++computed)).toBe(1);
    await cache.del('a');
    // Memory: a hit, a miss and wrap's two look-ups (a miss, then a hit), 2 sets, 1 delete.
    await expectKeyCounts(
      registry,
      { backend: 'cache_manager', cache: 'walkers.1' },
      {
        gets: 4,
        hits: 2,
        misses: 2,
        fails: 0,
        sets: 2,
        deletes: 1,
      },
    );
    // Redis is read only past a memory miss.
    const page = (await import('@promenade/core/testing')).scrape;
    const text = await page(registry);
    expect(text.includes('cache_set_total{backend="cache_manager",cache="walkers.2"} 2')).toBe(true);
    // The memory tier is counted, not timed; the Redis tier is timed.
    expect(
      text.includes('cache_operation_duration_seconds_count{backend="cache_manager",cache="walkers.1"'),
    ).toBe(false);
    expect(
      text.includes('cache_operation_duration_seconds_count{backend="cache_manager",cache="walkers.2"'),
    ).toBe(true);
    await shared.disconnect();
  });
});
