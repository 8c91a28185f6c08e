import KeyvRedis from '@keyv/redis';
import { instrumentKeyv } from '@promenade/cache';
import Keyv from 'keyv';
import type { Registry } from 'prom-client';
import { createClient } from 'redis';
import { NO_WALK_EVENTS, streamPublisher, type WalkEventPublisher } from '../events/walk-events.js';

/** The demo's caches: the walkers list and the panel's data, in memory or in Redis. */
export interface DemoCache {
  /** `memory`, or `redis` when REDIS_URL is set. */
  readonly where: 'memory' | 'redis';
  readonly walkers: Keyv;
  readonly panel: Keyv;
  /** Walk events for the consumer: on the same Redis connection, a no-op in memory. */
  readonly walkEvents: WalkEventPublisher;
  close(): Promise<void>;
}

/**
 * In memory by default; in Redis (`@keyv/redis` on one node-redis client) when `redisUrl` is
 * set, so that every process of the demo shares one cache. Both are counted on the cache schema
 * as `cache="walkers"` and `cache="panel"`. The Redis client queues nothing while Redis is away:
 * a read then fails at once, Keyv answers it as a miss (counted as a failure), and the app reads
 * the database, as it would without a cache.
 */
export async function openDemoCache(registry: Registry, redisUrl: string | undefined): Promise<DemoCache> {
  if (!redisUrl) {
    return {
      where: 'memory',
      walkers: instrumentKeyv(new Keyv(), { registry, name: 'walkers' }),
      panel: instrumentKeyv(new Keyv(), { registry, name: 'panel' }),
      walkEvents: NO_WALK_EVENTS,
      close: async () => {},
    };
  }
  const client = createClient({
    url: redisUrl,
    disableOfflineQueue: true,
    socket: { reconnectStrategy: 500 },
  });
  // Redis going away is a cache failure, counted; the client says it here and reconnects.
  client.on('error', () => {});
  await client.connect();
  const keyv = (namespace: string) => {
    const store = new KeyvRedis(client as never, { throwOnConnectError: false, namespace });
    const cache = new Keyv({ store, namespace });
    cache.on('error', () => {});
    return instrumentKeyv(cache, { registry, name: namespace });
  };
  return {
    where: 'redis',
    walkers: keyv('walkers'),
    panel: keyv('panel'),
    // A lost event is not the request's failure: the consumer's lag shows it.
    walkEvents: streamPublisher(client, () => {}),
    close: async () => {
      if (client.isOpen) await client.close();
    },
  };
}
