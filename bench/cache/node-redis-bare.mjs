import { createClient } from 'redis';
import { serveCacheApp } from './cache-app.mjs';

serveCacheApp(async ({ redisUrl }) => {
  const redis = await createClient({ url: redisUrl }).connect();
  return {
    fill: (key, value) => redis.set(key, value),
    get: (key) => redis.get(key),
    close: () => redis.close(),
  };
});
