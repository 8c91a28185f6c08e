import express from 'express';
import { Registry } from 'prom-client';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import {
  NOT_PRODUCTION,
  OPEN_METRICS_WARNING_CODE,
  openMetricsWarning,
  QUIET_IN_PRODUCTION,
  stubEnvironment,
  watchProcessWarnings,
} from '../../../test/support/open-metrics-warning.js';

const OPEN_IN_PRODUCTION = [openMetricsWarning('@promenade/express'), OPEN_METRICS_WARNING_CODE];
const warnings = watchProcessWarnings();

/** Express apps with the middleware, each on its own registry, created in this "process". */
async function createApps(count: number, options: Record<string, unknown> = {}) {
  const { metricsMiddleware } = await import('@promenade/express');
  return Array.from({ length: count }, () => {
    const app = express();
    app.use(metricsMiddleware({ registry: new Registry(), defaultMetrics: false, ...options }));
    return app;
  });
}

describe('the warning about an open /metrics in production', () => {
  it('is given once per process, when the first app is created, not per app or per request', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    const [first] = await createApps(1);
    expect(warnings).toEqual([OPEN_IN_PRODUCTION]);
    await createApps(1);
    expect((await request(first!).get('/metrics')).status).toBe(200);
    expect((await request(first!).get('/metrics')).status).toBe(200);
    expect(warnings).toEqual([OPEN_IN_PRODUCTION]);
  });

  it.each([
    ...QUIET_IN_PRODUCTION,
    ['when the app serves no metrics (metricsPath: false)', { metricsPath: false }, {}],
  ] as const)('is not given in production %s', async (_case, options, env) => {
    vi.stubEnv('NODE_ENV', 'production');
    stubEnvironment(env);
    await createApps(2, options);
    expect(warnings).toEqual([]);
  });

  it.each(NOT_PRODUCTION)('is not given with NODE_ENV=%s', async (nodeEnv) => {
    vi.stubEnv('NODE_ENV', nodeEnv);
    await createApps(2);
    expect(warnings).toEqual([]);
  });
});
