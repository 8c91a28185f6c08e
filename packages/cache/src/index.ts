// One call per client or cache object, all recording one cache schema (schema/): ioredis and
// node-redis (redis/), Keyv and cache-manager, which is built on Keyv (keyv/). Every client
// is typed structurally: importing this package loads no client and registers nothing.
export { type CacheManagerLike, instrumentCacheManager } from './keyv/cache-manager.js';
export { instrumentKeyv, type KeyvLike } from './keyv/keyv.js';
export { type IoredisLike, instrumentIoredis } from './redis/ioredis.js';
export { instrumentNodeRedis, type NodeRedisLike } from './redis/node-redis.js';
export { CACHE_METRIC_NAMES, DEFAULT_CACHE_BUCKETS } from './schema/metric-names.js';
export type { CacheMetricsOptions, KeyvMetricsOptions } from './types.js';
