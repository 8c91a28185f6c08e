import { instrumentIoredis } from '@promenade/cache';
import { Redis } from 'ioredis';
import { serveCacheApp } from './cache-app.mjs';

serveCacheApp(async ({ redisUrl }) => {
  const redis = instrumentIoredis(new Redis(redisUrl), { name: 'bench' });
  return {
    fill: (key, value) => redis.set(key, value),
    get: (key) => redis.get(key),
    close: () => redis.quit(),
  };
});
