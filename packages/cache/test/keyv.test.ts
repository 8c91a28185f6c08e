import KeyvRedis from '@keyv/redis';
import { instrumentCacheManager, instrumentKeyv } from '@promenade/cache';
import { createCache } from 'cache-manager';
import Keyv from 'keyv';
import { Keyv as Keyv6 } from 'keyv6';
import { Registry } from 'prom-client';
import { createClient } from 'redis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RedisHandle, startRedis } from '../../../test/support/stack.js';
import { expectKeyCounts } from './support/expect-cache.js';

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
    expect(
      (await page(registry)).includes('cache_set_total{backend="cache_manager",cache="walkers.2"} 2'),
    ).toBe(true);
    await shared.disconnect();
  });
});
