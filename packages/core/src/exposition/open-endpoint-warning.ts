import type { MetricsAuth } from '../options/http-options.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The code `process.emitWarning` gives the warning, for `--disable-warning` or a 'warning' listener. */
const OPEN_METRICS_WARNING_CODE = 'PROMENADE_OPEN_METRICS';

export interface OpenEndpointCheck {
  /** Named first in the message, e.g. `@promenade/express`. */
  readonly packageName: string;
  /** Where the exposition is served; `false` when this instance serves none. */
  readonly metricsPath: string | false;
  /** The `auth` option as given: `false` is an open endpoint chosen on purpose. */
  readonly authOption: MetricsAuth | false | undefined;
  /** The auth in force once the environment was read. */
  readonly resolvedAuth: MetricsAuth | undefined;
  /** How the adapter warns; by default a process warning. */
  readonly warn?: (message: string) => void;
  readonly env?: Env;
}

function emitProcessWarning(message: string): void {
  process.emitWarning(message, { code: OPEN_METRICS_WARNING_CODE });
}

function openEndpointMessage(packageName: string, metricsPath: string): string {
  return (
    `${packageName}: ${metricsPath} is open to anyone who can reach it (NODE_ENV is production and no auth is set). ` +
    'Protect it with the option "auth" ({ username, password } or { token }) or the environment variables ' +
    'PROMENADE_METRICS_USERNAME and PROMENADE_METRICS_PASSWORD, or PROMENADE_METRICS_TOKEN; ' +
    'or give auth: false to serve it open on purpose (on a private network), which silences this warning.'
  );
}

// Once per process, whichever adapter or server comes first: the condition is the process's
// environment, so a second app would only repeat the same sentence.
let warned = false;

/**
 * Warns, once per process and at creation (never per request), when a production process serves
 * metrics that anyone can read because nothing asked for credentials and nothing chose `auth: false`.
 */
export function warnIfOpenInProduction(check: OpenEndpointCheck): void {
  const env = check.env ?? process.env;
  if (warned || env.NODE_ENV !== 'production') return;
  if (check.metricsPath === false || check.authOption === false || check.resolvedAuth !== undefined) return;
  warned = true;
  (check.warn ?? emitProcessWarning)(openEndpointMessage(check.packageName, check.metricsPath));
}
