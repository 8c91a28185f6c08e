import { sampleLines, scrape } from '@promenade/core/testing';
import { describe, expect, it } from 'vitest';
import { FASTIFY_VERSIONS, instrumentedApp } from './harness.js';

describe.each(FASTIFY_VERSIONS)('%s: native histograms', (_name, factory) => {
  it('native only: each HTTP histogram shows its +Inf bucket, sum and count on the text page', async () => {
    const { app, registry } = instrumentedApp(factory, { nativeHistograms: { classic: false } });
    app.get('/dogs/:id', async () => 'x'.repeat(150));
    expect((await app.inject({ method: 'GET', url: '/dogs/7' })).statusCode).toBe(200);
    const page = await scrape(registry);
    expect(sampleLines(page, 'http_response_size_bytes_bucket')).toEqual([
      'http_response_size_bytes_bucket{method="GET",route="/dogs/:id",le="+Inf"} 1',
    ]);
    expect(sampleLines(page, 'http_response_size_bytes_sum')).toEqual([
      'http_response_size_bytes_sum{method="GET",route="/dogs/:id"} 150',
    ]);
    expect(sampleLines(page, 'http_request_duration_seconds_bucket')).toEqual([
      'http_request_duration_seconds_bucket{method="GET",route="/dogs/:id",status_code="200",le="+Inf"} 1',
    ]);
    // The buckets ride on the count of the registry's JSON (what the cluster reads).
    const family = (await registry.getMetricsAsJSON()).find(
      ({ name }) => name === 'http_response_size_bytes',
    );
    const count = family?.values.find(
      (value) => (value as { metricName?: string }).metricName === 'http_response_size_bytes_count',
    );
    expect((count as { native?: unknown } | undefined)?.native).toMatchObject({
      schema: 3,
      positiveSpans: [{ offset: 58, length: 1 }],
      positiveDeltas: [1],
    });
    await app.close();
  });
});
