import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// What every package's test of the warning about an open /metrics in production shares: a
// fresh copy of the packages per test (the warning is once per process), the process warnings
// it gives kept, and the settings in which it must stay quiet.

/** The warning's text for `packageName`, serving `path`. */
export function openMetricsWarning(packageName: string, path = '/metrics'): string {
  return `${packageName}: ${path} is open to anyone who can reach it (NODE_ENV is production and no auth is set). Protect it with the option "auth" ({ username, password } or { token }) or the environment variables PROMENADE_METRICS_USERNAME and PROMENADE_METRICS_PASSWORD, or PROMENADE_METRICS_TOKEN; or give auth: false to serve it open on purpose (on a private network), which silences this warning.`;
}

/** The code of the process warning. */
export const OPEN_METRICS_WARNING_CODE = { code: 'PROMENADE_OPEN_METRICS' };

/** Production settings that protect /metrics, or open it on purpose: no warning. */
export const QUIET_IN_PRODUCTION: [string, Record<string, unknown>, Record<string, string>][] = [
  ['with basic auth', { auth: { username: 'prometheus', password: 'secret' } }, {}],
  ['with a token', { auth: { token: 'secret' } }, {}],
  [
    'with auth from the environment',
    {},
    { PROMENADE_METRICS_USERNAME: 'p', PROMENADE_METRICS_PASSWORD: 's' },
  ],
  ['with a token from the environment', {}, { PROMENADE_METRICS_TOKEN: 'secret' }],
  ['with auth: false, an open endpoint chosen on purpose', { auth: false }, {}],
];

/** Environments that are not production: no warning. */
export const NOT_PRODUCTION: [string | undefined][] = [['development'], ['test'], [undefined]];

/**
 * Registers the hooks of a warning test in the calling file: each test gets fresh modules, no
 * PROMENADE_METRICS_* variables, and `process.emitWarning` recorded into the returned list.
 */
export function watchProcessWarnings(): unknown[][] {
  const warnings: unknown[][] = [];
  beforeEach(() => {
    vi.resetModules();
    warnings.length = 0;
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
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });
  return warnings;
}

/** Sets each of `env`'s variables for the test. */
export function stubEnvironment(env: Record<string, string>): void {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
}

/** What an adapter's suite hands over: how to create its apps, and how to scrape one. */
export interface AdapterUnderTest<App> {
  readonly packageName: string;
  /** `count` apps with the adapter, each on its own registry, from a fresh import of the package. */
  createApps(count: number, options?: Record<string, unknown>): Promise<App[]>;
  /** GET /metrics on `app`; resolves with the status. */
  scrape(app: App): Promise<number>;
}

/**
 * The suite every adapter that warns through `process.emitWarning` runs: once per process, not
 * per app or request, and never when /metrics is protected, opened on purpose, not served, or
 * outside production.
 */
export function describeOpenMetricsWarning<App>(adapter: AdapterUnderTest<App>): void {
  const openInProduction = [openMetricsWarning(adapter.packageName), OPEN_METRICS_WARNING_CODE];
  const warnings = watchProcessWarnings();

  describe('the warning about an open /metrics in production', () => {
    it('is given once per process, when the first app is created, not per app or per request', async () => {
      vi.stubEnv('NODE_ENV', 'production');
      const [first] = await adapter.createApps(1);
      expect(warnings).toEqual([openInProduction]);
      await adapter.createApps(1);
      expect(await adapter.scrape(first!)).toBe(200);
      expect(await adapter.scrape(first!)).toBe(200);
      expect(warnings).toEqual([openInProduction]);
    });

    it.each([
      ...QUIET_IN_PRODUCTION,
      ['when the app serves no metrics (metricsPath: false)', { metricsPath: false }, {}],
    ] as const)('is not given in production %s', async (_case, options, env) => {
      vi.stubEnv('NODE_ENV', 'production');
      stubEnvironment(env);
      await adapter.createApps(2, options);
      expect(warnings).toEqual([]);
    });

    it.each(NOT_PRODUCTION)('is not given with NODE_ENV=%s', async (nodeEnv) => {
      vi.stubEnv('NODE_ENV', nodeEnv);
      await adapter.createApps(2);
      expect(warnings).toEqual([]);
    });
  });
}
