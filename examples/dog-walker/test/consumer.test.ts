import { metricValue } from '@promenade/core/testing';
import { Registry } from 'prom-client';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RedisHandle, startRedis } from '../../../test/support/stack.js';
import { type RunningConsumer, startConsumer } from '../src/consumer.js';
import { WALK_EVENTS_STREAM } from '../src/events/walk-events.js';
import { basicAuth, credentials, type Demo, startDemo } from './support/demo.js';

// Real Redis 7, required: if it cannot start, this file fails.
let redis: RedisHandle;
let demo: Demo | undefined;
let consumer: RunningConsumer | undefined;

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  await redis?.stop();
});

afterEach(async () => {
  await consumer?.stop();
  await demo?.stop();
  consumer = undefined;
  demo = undefined;
});

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not reached within 10 s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A consumer of the test Redis, its metrics on a free loopback port behind the demo's auth. */
function startTestConsumer(registry: Registry): Promise<RunningConsumer> {
  // Blocking reads of 100 ms, not the default second, keep each wait of these tests short.
  return startConsumer({
    redisUrl: redis.url,
    port: 0,
    host: '127.0.0.1',
    auth: credentials,
    registry,
    consumerName: 'test',
    blockMs: 100,
  });
}

describe('the walk-event consumer', () => {
  it('handles the walks the app publishes, counts a bad event, and serves its metrics behind the same auth', async () => {
    await redis.cli('FLUSHALL');
    demo = await startDemo('express', undefined, redis.url);
    const registry = new Registry();
    consumer = await startTestConsumer(registry);
    const dog = (await demo.call('POST', '/api/dogs', { name: 'Rex', age: 3, size: 'md' })).body;
    const walker = (await demo.call('POST', '/api/walkers', { name: 'Ana', email: 'ana@example.com' })).body;
    const walk = (await demo.call('POST', '/api/walks', { dogId: dog.id, walkerId: walker.id })).body;
    await demo.call('POST', `/api/walks/${walk.id}/complete`, { distanceMeters: 420 });
    // Not a walk event: counted as invalid, acknowledged, not read again.
    const writer = await createClient({ url: redis.url }).connect();
    await writer.xAdd(WALK_EVENTS_STREAM, '*', { type: 'teleported', walkId: 'x', at: '0' });
    await writer.close();

    const value = (name: string, labels = {}) => metricValue(registry, name, labels);
    await until(
      async () => (await value('dogwalker_consumer_event_failures_total', { reason: 'invalid_event' })) === 1,
      'the invalid event counted',
    );
    expect(consumer.consumer.tally()).toEqual({ started: 1, completed: 1 });
    expect(await value('dogwalker_consumer_events_handled_total', { type: 'started' })).toBe(1);
    expect(await value('dogwalker_consumer_events_handled_total', { type: 'completed' })).toBe(1);
    expect(await value('dogwalker_consumer_event_handling_seconds_count')).toBe(3);
    expect(await value('dogwalker_consumer_lag_seconds')).toBeGreaterThanOrEqual(0);

    const url = `${consumer.metrics.url}`;
    expect((await fetch(url)).status).toBe(401);
    const page = await fetch(url, { headers: { authorization: basicAuth } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('dogwalker_consumer_events_handled_total{type="completed"} 1');
  });

  it('counts failed reads while Redis is away and carries on when it is back', async () => {
    await redis.cli('FLUSHALL');
    const registry = new Registry();
    consumer = await startTestConsumer(registry);
    await redis.down();
    await until(
      async () => ((await metricValue(registry, 'dogwalker_consumer_read_errors_total')) ?? 0) > 0,
      'a read error',
    );
    await redis.up();
    const writer = await createClient({ url: redis.url }).connect();
    // The group went with the old server's data: the consumer makes it again (NOGROUP), from the
    // stream's start, so an event added meanwhile is read.
    await writer.xAdd(WALK_EVENTS_STREAM, '*', { type: 'started', walkId: '7', at: String(Date.now()) });
    await writer.close();
    await until(
      async () =>
        (await metricValue(registry, 'dogwalker_consumer_events_handled_total', { type: 'started' })) === 1,
      'the event after Redis came back',
    );
  });
});
