/**
 * How the two text formats spell label values, help text and numbers. They agree on label
 * values, which is what lets a series escape its label text once for both.
 */

const NEEDS_ESCAPE = /[\\"\n]/;

export function escapeLabelValue(value: string): string {
  return NEEDS_ESCAPE.test(value)
    ? value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
    : value;
}

/** `name="value",...`, escaped; '' when there are no labels. */
export function labelText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([name, value]) => `${name}="${escapeLabelValue(value)}"`)
    .join(',');
}

/** OpenMetrics escapes double quotes in help text too; the text format leaves them. */
export function escapeHelp(help: string, escapeQuotes: boolean): string {
  const escaped = help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return escapeQuotes ? escaped.replace(/"/g, '\\"') : escaped;
}

export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/** OpenMetrics wants `le` and `quantile` as floats: 1 becomes 1.0. */
export function formatOpenMetricsBound(value: unknown): string {
  if (typeof value === 'number' && Number.isInteger(value)) return `${value}.0`;
  return typeof value === 'number' ? formatNumber(value) : String(value);
}
