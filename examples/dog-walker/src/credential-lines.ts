import type { MetricsCredentials } from './credentials.js';

/**
 * The banner's lines on how to read /metrics, the same in one process and with --workers:
 * credentials from the environment are never printed, made-up ones are, each on its own line,
 * with a curl line that works as printed. `labelWidth` aligns them with the banner's other lines.
 */
export function credentialLines(
  credentials: MetricsCredentials,
  metricsUrl: string,
  labelWidth: number,
): string[] {
  const line = (label: string, text: string) => `  ${`${label}:`.padEnd(labelWidth)}${text}`;
  const { auth } = credentials;
  if ('token' in auth) {
    return [
      line('Auth', 'bearer token from PROMENADE_METRICS_TOKEN'),
      line('Try', `curl -H "Authorization: Bearer $PROMENADE_METRICS_TOKEN" ${metricsUrl}`),
    ];
  }
  if (credentials.source === 'environment') {
    return [
      line('Auth', 'from PROMENADE_METRICS_USERNAME and PROMENADE_METRICS_PASSWORD'),
      line('Try', `curl -u "$PROMENADE_METRICS_USERNAME:$PROMENADE_METRICS_PASSWORD" ${metricsUrl}`),
    ];
  }
  return [
    line('User', auth.username),
    line(
      'Password',
      `${auth.password}   (made up for this run; set PROMENADE_METRICS_USERNAME/PASSWORD to choose)`,
    ),
    line('Try', `curl -u ${auth.username}:${auth.password} ${metricsUrl}`),
  ];
}
