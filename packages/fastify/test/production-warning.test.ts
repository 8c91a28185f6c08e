import fastify from 'fastify';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  NOT_PRODUCTION,
  OPEN_METRICS_WARNING_CODE,
  openMetricsWarning,
  QUIET_IN_PRODUCTION,
  stubEnvironment,
  watchProcessWarnings,
} from '../../../test/support/open-metrics-warning.js';

const OPEN_IN_PRODUCTION = [openMetricsWarning('@promenade/fastify'), OPEN_METRICS_WARNING_CODE];
const warnings = watchProcessWarnings();
const apps: ReturnType<typeof fastify>[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/**
 * Fastify apps with the plugin, each on its own registry, created in this "process". Fastify's
 * logger is off by default, which is why the warning is a process warning and not `app.log`'s.
 */
async function createApps(count: number, options: Record<string, unknown> = {}) {
  const { fastifyMetrics } = await import('@promenade/fastify');
  const created = [];
  for (let i = 0; i < count; i++) {
    const app = fastify();
    apps.push(app);
    await app.register(fastifyMetrics, { registry: new Registry(), defaultMetrics: false, ...options });
    created.push(app);
  }
  return created;
}

describe('the warning about an open /metrics in production', () => {
  it('is given once per process, when the first app is created, not per app or per request', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    const [first] = await createApps(1);
    expect(warnings).toEqual([OPEN_IN_PRODUCTION]);
    await createApps(1);
    expect((await first!.inject({ url: '/metrics' })).statusCode).toBe(200);
    expect((await first!.inject({ url: '/metrics' })).statusCode).toBe(200);
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
