import { notA, resolveKeyvOptions } from '../options.js';
import type { KeyvMetricsOptions } from '../types.js';
import { instrumentKeyvAs, isKeyv, type KeyvLike } from './keyv.js';

/** A cache-manager 7 cache (`createCache()`), structurally: the Keyv stores it reads in order. */
export interface CacheManagerLike {
  readonly stores: readonly KeyvLike[];
  get(...args: never[]): Promise<unknown>;
  wrap(...args: never[]): Promise<unknown>;
}

function isCacheManager(value: unknown): value is CacheManagerLike {
  const cache = value as Partial<CacheManagerLike> | null;
  return (
    typeof cache === 'object' &&
    cache !== null &&
    Array.isArray(cache.stores) &&
    cache.stores.every(isKeyv) &&
    typeof cache.get === 'function' &&
    typeof cache.wrap === 'function'
  );
}

/**
 * Instruments a cache-manager 7 cache through the Keyv stores it is built on: every call
 * cache-manager makes (its get, set, del, mget, wrap...) reaches them, so gets, hits, misses,
 * sets, deletes, failures and latencies are counted where they happen, and a store's failure,
 * which cache-manager answers as a miss, counts as one. With several stores (a memory tier in
 * front of Redis) each is its own `cache`, `<name>.1`, `<name>.2`..., so each tier shows its own
 * hit ratio. Returns the cache.
 *
 * @example
 * const cache = instrumentCacheManager(createCache({ stores: [memory, redis] }), { name: 'walkers' });
 */
export function instrumentCacheManager<C extends CacheManagerLike>(
  cache: C,
  options?: KeyvMetricsOptions,
): C {
  if (!isCacheManager(cache)) throw notA('a cache-manager cache (createCache())', cache);
  const resolved = resolveKeyvOptions(options);
  const { stores } = cache;
  stores.forEach((store, index) => {
    const name = stores.length === 1 ? resolved.name : `${resolved.name}.${index + 1}`;
    instrumentKeyvAs(store, { ...resolved, name }, 'cache_manager');
  });
  return cache;
}
