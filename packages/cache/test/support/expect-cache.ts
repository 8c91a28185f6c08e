import { scrape } from '@promenade/core/testing';
import type { Registry } from 'prom-client';
import { expect } from 'vitest';

export interface KeyCounts {
  gets: number;
  hits: number;
  misses: number;
  fails: number;
  sets: number;
  deletes: number;
}

/** The exact lines of the get, set and delete counters of one (backend, cache). */
export async function expectKeyCounts(
  registry: Registry,
  labels: { backend: string; cache: string },
  counts: KeyCounts,
): Promise<void> {
  const page = await scrape(registry);
  const on = `{backend="${labels.backend}",cache="${labels.cache}"}`;
  const lines = [
    `cache_get_total${on} ${counts.gets}`,
    `cache_get_hits_total${on} ${counts.hits}`,
    `cache_get_misses_total${on} ${counts.misses}`,
    `cache_get_fail_total${on} ${counts.fails}`,
    `cache_set_total${on} ${counts.sets}`,
    `cache_delete_total${on} ${counts.deletes}`,
  ];
  expect(
    page.split('\n').filter((line) => lines.some((want) => line.startsWith(want.split(' ')[0]!))),
  ).toEqual(lines);
}

/** The value of one sample line, by its exact name and label text; undefined when absent. */
export async function sample(registry: Registry, series: string): Promise<number | undefined> {
  const page = await scrape(registry);
  const line = page.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** Redis commands of the scripted workload, through any client's call. */
export interface RedisCalls {
  set(key: string, value: string): Promise<unknown>;
  get(key: string): Promise<unknown>;
  mget(keys: string[]): Promise<unknown>;
  del(key: string): Promise<unknown>;
  lpush(key: string, value: string): Promise<unknown>;
}

/**
 * The scripted workload: 2 sets; gets of a (hit), b (hit), c (miss); an MGET of a, c, d (1
 * hit, 2 misses); a delete of a; a get of a (miss); a get of a list (WRONGTYPE: 1 failure).
 */
export async function scriptedWorkload(redis: RedisCalls): Promise<void> {
  await redis.set('a', '1');
  await redis.set('b', '2');
  expect(await redis.get('a')).toBe('1');
  expect(await redis.get('b')).toBe('2');
  expect(await redis.get('c')).toBeNull();
  expect(await redis.mget(['a', 'c', 'd'])).toEqual(['1', null, null]);
  await redis.del('a');
  expect(await redis.get('a')).toBeNull();
  await redis.lpush('list', 'x');
  await expect(redis.get('list')).rejects.toThrow(/WRONGTYPE/);
}

export const SCRIPTED_COUNTS: KeyCounts = { gets: 8, hits: 3, misses: 4, fails: 1, sets: 2, deletes: 1 };
