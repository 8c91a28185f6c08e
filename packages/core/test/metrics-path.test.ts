import { isMetricsPath } from '@promenade/core/adapter';
import { describe, expect, it } from 'vitest';

describe('isMetricsPath', () => {
  it.each([
    ['/metrics', true],
    ['/metrics?format=openmetrics', true],
    ['/metrics?', true],
    ['/metricsx', false],
    ['/metrics/', false],
    ['/metric', false],
    ['/api/metrics', false],
    ['', false],
    [undefined, false],
  ])('%j asks for /metrics: %s', (url, expected) => {
    expect(isMetricsPath(url, '/metrics')).toBe(expected);
  });
});
