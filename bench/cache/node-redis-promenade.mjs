import { instrumentNodeRedis } from '@promenade/cache';
import { createClient } from 'redis';
import { serveCacheApp } from './cache-app.mjs';

serveCacheApp(async ({ redisUrl }) => {
  const redis = await instrumentNodeRedis(createClient({ url: redisUrl }), { name: 'bench' }).connect();
  return {
    fill: (key, value) => redis.set(key, value),
    get: (key) => redis.get(key),
    close: () => redis.close(),
  };
});
