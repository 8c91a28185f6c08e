import fastify from 'fastify';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const OPEN_IN_PRODUCTION = [
  '@promenade/fastify: /metrics is open to anyone who can reach it (NODE_ENV is production and no auth is set). Protect it with the option "auth" ({ username, password } or { token }) or the environment variables PROMENADE_METRICS_USERNAME and PROMENADE_METRICS_PASSWORD, or PROMENADE_METRICS_TOKEN; or give auth: false to serve it open on purpose (on a private network), which silences this warning.',
  { code: 'PROMENADE_OPEN_METRICS' },
];

let warnings: unknown[][];
const apps: ReturnType<typeof fastify>[] = [];

beforeEach(() => {
  // The warning is once per process: a fresh copy of the packages stands for a fresh process.
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
  await Promise.all(apps.splice(0).map((app) => app.close()));
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
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
    ['with basic auth', { auth: { username: 'prometheus', password: 'secret' } }, {}],
    ['with a token', { auth: { token: 'secret' } }, {}],
    [
      'with auth from the environment',
      {},
      { PROMENADE_METRICS_USERNAME: 'p', PROMENADE_METRICS_PASSWORD: 's' },
    ],
    ['with a token from the environment', {}, { PROMENADE_METRICS_TOKEN: 'secret' }],
    ['with auth: false, an open endpoint chosen on purpose', { auth: false }, {}],
    ['when the app serves no metrics (metricsPath: false)', { metricsPath: false }, {}],
  ])('is not given in production %s', async (_case, options, env: Record<string, string>) => {
    vi.stubEnv('NODE_ENV', 'production');
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    await createApps(2, options);
    expect(warnings).toEqual([]);
  });

  it.each([['development'], ['test'], [undefined]])('is not given with NODE_ENV=%s', async (nodeEnv) => {
    vi.stubEnv('NODE_ENV', nodeEnv);
    await createApps(2);
    expect(warnings).toEqual([]);
  });
});
