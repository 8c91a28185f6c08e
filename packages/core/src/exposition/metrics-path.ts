/**
 * Whether a request URL (relative to where the middleware is mounted) asks for the metrics
 * path, with or without a query string. Runs on every request, so it compares instead of parsing.
 */
export function isMetricsPath(url: string | undefined, metricsPath: string): boolean {
  if (url === metricsPath) return true;
  return (
    url !== undefined &&
    url.length > metricsPath.length &&
    url.charCodeAt(metricsPath.length) === 63 /* ? */ &&
    url.startsWith(metricsPath)
  );
}
