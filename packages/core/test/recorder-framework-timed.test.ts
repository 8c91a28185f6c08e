import { createHttpInstrumentation } from '@promenade/core/adapter';
import { sampleLines, scrape } from '@promenade/core/testing';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';

describe('HttpRecorder, timed by the framework', () => {
  it('counts a request in flight from startFrameworkTimedRequest and records the duration it is given', async () => {
    const registry = new Registry();
    const { recorder } = createHttpInstrumentation(
      {
        registry,
        defaultMetrics: false,
        buckets: { duration: [0.1, 1], requestSize: [10], responseSize: [10] },
      },
      { packageName: '@promenade/core' },
    );
    recorder.startFrameworkTimedRequest();
    expect(sampleLines(await scrape(registry), 'http_requests_in_flight')).toEqual([
      'http_requests_in_flight 1',
    ]);
    recorder.finishFrameworkTimedRequest('GET', '/dogs/:id', 200, 0.5, 0, 5);
    const text = await scrape(registry);
    expect(sampleLines(text, 'http_requests_in_flight')).toEqual(['http_requests_in_flight 0']);
    expect(sampleLines(text, 'http_request_duration_seconds_bucket')).toEqual([
      'http_request_duration_seconds_bucket{method="GET",route="/dogs/:id",status_code="200",le="0.1"} 0',
      'http_request_duration_seconds_bucket{method="GET",route="/dogs/:id",status_code="200",le="1"} 1',
      'http_request_duration_seconds_bucket{method="GET",route="/dogs/:id",status_code="200",le="+Inf"} 1',
    ]);
    expect(sampleLines(text, 'http_request_duration_seconds_sum')).toEqual([
      'http_request_duration_seconds_sum{method="GET",route="/dogs/:id",status_code="200"} 0.5',
    ]);
    expect(sampleLines(text, 'http_response_size_bytes_sum')).toEqual([
      'http_response_size_bytes_sum{method="GET",route="/dogs/:id"} 5',
    ]);
  });
});
