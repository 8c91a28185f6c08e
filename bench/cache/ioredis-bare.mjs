import { Redis } from 'ioredis';
import { serveCacheApp } from './cache-app.mjs';

serveCacheApp(async ({ redisUrl }) => {
  const redis = new Redis(redisUrl);
  return {
    fill: (key, value) => redis.set(key, value),
    get: (key) => redis.get(key),
    close: () => redis.quit(),
  };
});
