import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { resolveCacheOptions } from '../src/options.js';
import { CacheRecorder } from '../src/schema/cache-recorder.js';

const recorder = (registry: Registry, name: string, backend = 'keyv') =>
  new CacheRecorder(resolveCacheOptions({ registry, name }), backend);

describe('CacheRecorder.shared', () => {
  it('hands every recorder of one (backend, cache) on one registry the state the first made', () => {
    const registry = new Registry();
    const first = recorder(registry, 'walkers').shared('tally', () => ({ made: 1 }));
    expect(recorder(registry, 'walkers').shared('tally', () => ({ made: 2 }))).toBe(first);
  });

  it('keeps the states of other caches, backends, kinds and registries apart', () => {
    const registry = new Registry();
    const first = recorder(registry, 'walkers').shared('tally', () => ({}));
    expect(recorder(registry, 'panel').shared('tally', () => ({}))).not.toBe(first);
    expect(recorder(registry, 'walkers', 'ioredis').shared('tally', () => ({}))).not.toBe(first);
    expect(recorder(registry, 'walkers').shared('other', () => ({}))).not.toBe(first);
    expect(recorder(new Registry(), 'walkers').shared('tally', () => ({}))).not.toBe(first);
  });
});
