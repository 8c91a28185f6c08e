import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
import { writeRegistry } from '../src/exposition/collect-families.js';
import { writerFor } from '../src/exposition/negotiate.js';
import { richRegistry } from './fixtures/rich-registry.js';

// A file of its own: nothing else in this test process may load the library first.
it('loads the protobuf library only when a page is asked for in protobuf', async () => {
  const loaded = () =>
    Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes('/protobufjs/'));
  const registry = richRegistry();
  await writeRegistry(registry, writerFor('text'));
  await writeRegistry(registry, writerFor('openmetrics'));
  expect(loaded()).toBe(false);
  await writeRegistry(registry, writerFor('protobuf'));
  expect(loaded()).toBe(true);
});
