import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const OPEN_IN_PRODUCTION = [
  '@promenade/core: /scrape is open to anyone who can reach it (NODE_ENV is production and no auth is set). Protect it with the option "auth" ({ username, password } or { token }) or the environment variables PROMENADE_METRICS_USERNAME and PROMENADE_METRICS_PASSWORD, or PROMENADE_METRICS_TOKEN; or give auth: false to serve it open on purpose (on a private network), which silences this warning.',
  { code: 'PROMENADE_OPEN_METRICS' },
];

let warnings: unknown[][];
const servers: { stop(): Promise<void> }[] = [];

beforeEach(() => {
  // The warning is once per process: a fresh copy of the package stands for a fresh process.
  vi.resetModules();
  warnings = [];
  vi.spyOn(process, 'emitWarning').mockImplementation((...args: unknown[]) => {
    warnings.push(args);
  });
  for (const name of [
    'PROMENADE_METRICS_TOKEN',
    'PROMENADE_METRICS_USERNAME',
    'PROMENADE_METRICS_PASSWORD',
  ]) {
    vi.stubEnv(name, undefined);
  }
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
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
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    await startServers(1, options);
    expect(warnings).toEqual([]);
  });

  it('is not given outside production', async () => {
    vi.stubEnv('NODE_ENV', 'development');
    await startServers(1);
    expect(warnings).toEqual([]);
  });
});
