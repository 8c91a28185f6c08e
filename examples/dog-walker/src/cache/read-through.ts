import type Keyv from 'keyv';

/**
 * The value under `key` in `cache`, or `load()`'s, kept for `ttlMs`. A cache that fails (Redis
 * away) is no cache: its failure is counted by the instrumentation, and the value comes from
 * `load()`, as it would without one.
 */
export async function readThrough<T>(
  cache: Keyv,
  key: string,
  ttlMs: number,
  load: () => Promise<T>,
): Promise<T> {
  let cached: T | undefined;
  try {
    cached = (await cache.get(key)) as T | undefined;
  } catch {
    cached = undefined;
  }
  if (cached !== undefined) return cached;
  const value = await load();
  await cache.set(key, value, ttlMs).catch(() => false);
  return value;
}

/** Forgets `key`, so that the next read loads it again; a failing cache is left as it is. */
export async function forget(cache: Keyv, key: string): Promise<void> {
  await cache.delete(key).catch(() => false);
}
