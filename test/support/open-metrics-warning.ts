import { afterEach, beforeEach, vi } from 'vitest';

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
