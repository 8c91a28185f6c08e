import { metricValue } from '@promenade/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RedisHandle, startRedis } from '../../../test/support/stack.js';
import { type Demo, startDemo } from './support/demo.js';

// Real Redis 7 for the REDIS_URL case, required: if it cannot start, this file fails.
let redis: RedisHandle;
let demo: Demo | undefined;

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  await redis?.stop();
});

afterEach(async () => {
  await demo?.stop();
  demo = undefined;
});

async function cacheCounts(cache: string) {
  const registry = demo!.registry;
  const read = async (name: string) => (await metricValue(registry, name, { cache })) ?? Number.NaN;
  return {
    gets: await read('cache_get_total'),
    hits: await read('cache_get_hits_total'),
    misses: await read('cache_get_misses_total'),
    fails: await read('cache_get_fail_total'),
    sets: await read('cache_set_total'),
  };
}

/** Lists the walkers twice (a miss, then a hit), adds one (which clears the list), lists again (a miss). */
async function walkersWorkload(): Promise<void> {
  expect((await demo!.call('GET', '/api/walkers')).body).toEqual([]);
  expect((await demo!.call('GET', '/api/walkers')).body).toEqual([]);
  await demo!.call('POST', '/api/walkers', { name: 'Ana', email: 'ana@example.com' });
  const listed = (await demo!.call('GET', '/api/walkers')).body;
  expect(listed.map((walker: { name: string }) => walker.name)).toEqual(['Ana']);
}

describe.each([
  ['in memory', undefined, 'keyv'],
  ['in Redis (REDIS_URL)', () => redis.url, 'keyv'],
] as const)('the demo caches %s', (_where, redisUrl, backend) => {
  it('reads the walkers list through the cache and counts it: 3 gets, 1 hit, 2 misses, 2 sets', async () => {
    if (redisUrl) await redis.cli('FLUSHALL');
    demo = await startDemo('express', undefined, redisUrl?.());
    expect(demo.server.app.cache.where).toBe(redisUrl ? 'redis' : 'memory');
    await walkersWorkload();
    expect(await cacheCounts('walkers')).toEqual({ gets: 3, hits: 1, misses: 2, fails: 0, sets: 2 });
    expect(await metricValue(demo.registry, 'cache_get_total', { backend, cache: 'walkers' })).toBe(3);
  });

  it('serves the panel from the cache within a second, with the cache counters on it', async () => {
    if (redisUrl) await redis.cli('FLUSHALL');
    demo = await startDemo('fastify', undefined, redisUrl?.());
    const first = (await demo.call('GET', '/api/panel')).body;
    const second = (await demo.call('GET', '/api/panel')).body;
    expect(second.time).toBe(first.time);
    expect(Object.keys(first.metrics)).toEqual(
      expect.arrayContaining(['cache_get_total', 'cache_get_hits_total']),
    );
    expect(await cacheCounts('panel')).toMatchObject({ gets: 2, hits: 1, misses: 1 });
  });
});

describe('the demo with Redis stopped', () => {
  it('answers from the database, and counts the failures', async () => {
    await redis.cli('FLUSHALL');
    demo = await startDemo('express', undefined, redis.url);
    await walkersWorkload();
    await redis.down();
    try {
      const listed = await demo.call('GET', '/api/walkers');
      expect(listed.status).toBe(200);
      expect(listed.body.map((walker: { name: string }) => walker.name)).toEqual(['Ana']);
      expect(await cacheCounts('walkers')).toMatchObject({ gets: 4, hits: 1, misses: 2, fails: 1 });
    } finally {
      await redis.up();
    }
  });
});
