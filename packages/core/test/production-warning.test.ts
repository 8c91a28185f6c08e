import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  OPEN_METRICS_WARNING_CODE,
  openMetricsWarning,
  stubEnvironment,
  watchProcessWarnings,
} from '../../../test/support/open-metrics-warning.js';

const OPEN_IN_PRODUCTION = [openMetricsWarning('@promenade/core', '/scrape'), OPEN_METRICS_WARNING_CODE];
const warnings = watchProcessWarnings();
const servers: { stop(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

async function startServers(count: number, options: Record<string, unknown> = {}) {
  const { startMetricsServer } = await import('@promenade/core');
  for (let i = 0; i < count; i++) {
    servers.push(
      await startMetricsServer({ port: 0, registry: new Registry(), metricsPath: '/scrape', ...options }),
    );
  }
}

describe("the standalone metrics server's warning about an open endpoint in production", () => {
  it('is given once per process', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    await startServers(2);
    expect(warnings).toEqual([OPEN_IN_PRODUCTION]);
  });

  it.each([
    ['with a token', { auth: { token: 'secret' } }, {}],
    [
      'with auth from the environment',
      {},
      { PROMENADE_METRICS_USERNAME: 'p', PROMENADE_METRICS_PASSWORD: 's' },
    ],
    ['with auth: false', { auth: false }, {}],
  ])('is not given in production %s', async (_case, options, env: Record<string, string>) => {
    vi.stubEnv('NODE_ENV', 'production');
    stubEnvironment(env);
    await startServers(1, options);
    expect(warnings).toEqual([]);
  });

  it('is not given outside production', async () => {
    vi.stubEnv('NODE_ENV', 'development');
    await startServers(1);
    expect(warnings).toEqual([]);
  });
});
