import { randomBytes } from 'node:crypto';
import { scrape, scrapeProtobuf } from '@promenade/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../src/frameworks.js';
import { type DemoTracing, startDemoTracing } from '../src/tracing.js';
import { startDemo } from './support/demo.js';

/** A trace the caller started, continued by the demo's tracer through `traceparent`. */
const TRACE = randomBytes(16).toString('hex');
const TRACEPARENT = `00-${TRACE}-${randomBytes(8).toString('hex')}-01`;

describe('--native-histograms and --exemplars on every entry point', () => {
  let tracing: DemoTracing;

  // As the command line does: the tracer first, then the app.
  beforeAll(async () => {
    tracing = await startDemoTracing();
  });
  afterAll(async () => {
    await tracing?.stop();
  });

  it.each(FRAMEWORKS)(
    '%s: the caller’s trace id on the latency bucket, native buckets beside the classic ones',
    async (framework) => {
      const demo = await startDemo(framework, undefined, undefined, {
        nativeHistograms: true,
        exemplars: true,
      });
      try {
        const walker = await demo.call('POST', '/api/walkers', { name: 'Ada', email: 'ada@example.org' });
        const dog = await demo.call('POST', '/api/dogs', { name: 'Rex', age: 3, size: 'md' });
        const walk = await demo.call('POST', '/api/walks', { dogId: dog.body.id, walkerId: walker.body.id });
        await demo.call('POST', `/api/walks/${walk.body.id}/complete`, { distanceMeters: 950 });
        expect((await demo.call('GET', '/api/walkers', undefined, { traceparent: TRACEPARENT })).status).toBe(
          200,
        );

        const openMetrics = await scrape(demo.registry, 'openmetrics');
        const traced = openMetrics.split('\n').filter((line) => line.includes(`trace_id="${TRACE}"`));
        expect(traced).toEqual([
          expect.stringMatching(
            new RegExp(
              `^http_request_duration_seconds_bucket\\{method="GET",route="/api/walkers",status_code="200",le="[^"]+"\\} 1 # \\{trace_id="${TRACE}",span_id="[0-9a-f]{16}"\\} \\S+ \\S+$`,
            ),
          ),
        ]);
        // A request that came without a trace is traced by the demo itself.
        expect(openMetrics).toMatch(
          /^http_request_duration_seconds_bucket\{method="POST",route="\/api\/dogs",status_code="201",le="[^"]+"\} 1 # \{trace_id="[0-9a-f]{32}",span_id="[0-9a-f]{16}"\}/m,
        );

        const families = await scrapeProtobuf(demo.registry);
        const histogram = (name: string) =>
          families.find((family) => family.name === name)?.metric[0]?.histogram;
        for (const name of [
          'http_request_duration_seconds',
          'http_request_size_bytes',
          'http_response_size_bytes',
          'dogwalker_walk_distance_meters',
        ]) {
          const native = histogram(name);
          expect(native?.schema, name).toBe(3);
          expect(native!.positiveSpan.length + native!.zeroCount!, name).toBeGreaterThan(0);
          // The classic buckets stay, for a Prometheus that does not read native histograms.
          expect(native!.bucket.length, name).toBeGreaterThan(1);
        }
      } finally {
        await demo.stop();
      }
    },
  );

  it('turns nothing on by default: no native buckets, no exemplars', async () => {
    const demo = await startDemo('express');
    try {
      expect((await demo.call('GET', '/api/walkers', undefined, { traceparent: TRACEPARENT })).status).toBe(
        200,
      );
      expect(await scrape(demo.registry, 'openmetrics')).not.toContain('trace_id=');
      const families = await scrapeProtobuf(demo.registry);
      const latency = families.find((family) => family.name === 'http_request_duration_seconds');
      expect(latency?.metric[0]?.histogram?.schema).toBeUndefined();
    } finally {
      await demo.stop();
    }
  });
});
