import { sampleLines, scrape } from '@promenade/core/testing';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { DogsController } from './fixtures.js';
import { createTestApp, metricsModule, PLATFORMS } from './harness.js';

describe.each(PLATFORMS)('native histograms on %s', (platform) => {
  it('native only: the +Inf bucket, sum and count on the text page, the buckets beside them', async () => {
    const registry = new Registry();
    const testApp = await createTestApp(platform, {
      imports: [metricsModule(registry, { nativeHistograms: { classic: false } })],
      controllers: [DogsController],
    });
    try {
      expect((await testApp.send({ url: '/dogs/7' })).status).toBe(200);
      const page = await scrape(registry);
      expect(sampleLines(page, 'http_request_duration_seconds_bucket')).toEqual([
        'http_request_duration_seconds_bucket{method="GET",route="/dogs/:id",status_code="200",le="+Inf"} 1',
      ]);
      const family = (await registry.getMetricsAsJSON()).find(
        ({ name }) => name === 'http_request_duration_seconds',
      );
      const count = family?.values.find(
        (value) => (value as { metricName?: string }).metricName === 'http_request_duration_seconds_count',
      ) as { native?: { schema: number; positiveDeltas: number[] } } | undefined;
      expect(count?.native?.schema).toBe(3);
      expect(count?.native?.positiveDeltas).toEqual([1]);
    } finally {
      await testApp.close();
    }
  });
});
