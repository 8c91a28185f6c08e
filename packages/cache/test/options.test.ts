import { instrumentIoredis, instrumentKeyv } from '@promenade/cache';
import { Redis } from 'ioredis';
import Keyv from 'keyv';
import { register as globalRegistry, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';

describe('options', () => {
  it('an invalid cache name fails at creation with the coded message', () => {
    expect(() =>
      instrumentKeyv(new Keyv(), { registry: new Registry(), name: 'a name with spaces' }),
    ).toThrow(
      expect.objectContaining({
        code: 'ERR_PROMENADE_INVALID_OPTION',
        message:
          '@promenade/cache: option "name" must be 1 to 64 letters, digits or "_.:-" (received "a name with spaces")',
      }),
    );
  });

  it('latency must be a boolean, on Keyv and cache-manager; the Redis clients do not take it', () => {
    expect(() => instrumentKeyv(new Keyv(), { registry: new Registry(), latency: 'yes' } as never)).toThrow(
      expect.objectContaining({
        code: 'ERR_PROMENADE_INVALID_OPTION',
        message: '@promenade/cache: option "latency" must be a boolean (received "yes")',
      }),
    );
    expect(() => instrumentKeyv(new Keyv(), { registry: new Registry(), latency: true })).not.toThrow();
    expect(() => instrumentIoredis(new Redis({ lazyConnect: true }), { latency: true } as never)).toThrow(
      /@promenade\/cache: option "latency"/,
    );
  });

  it('an unknown option fails at creation', () => {
    expect(() => instrumentKeyv(new Keyv(), { registry: new Registry(), cache: 'x' } as never)).toThrow(
      /@promenade\/cache: option "cache"/,
    );
  });

  it('a first argument that is not the client fails at creation', () => {
    expect(() => instrumentIoredis({} as never)).toThrow(
      '@promenade/cache: option "client" must be an ioredis Redis or Cluster client (received {})',
    );
  });
});

it('importing @promenade/cache registers nothing and starts nothing', async () => {
  const metricsBefore = globalRegistry.getMetricsAsArray().length;
  const handlesBefore = process.getActiveResourcesInfo().length;
  const cache = await import('@promenade/cache');
  expect(typeof cache.instrumentKeyv).toBe('function');
  expect(globalRegistry.getMetricsAsArray().length).toBe(metricsBefore);
  expect(process.getActiveResourcesInfo().length).toBeLessThanOrEqual(handlesBefore);
});
