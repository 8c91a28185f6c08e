/**
 * Renders metric families in the Prometheus text format (0.0.4) or in OpenMetrics 1.0. Why
 * core formats for itself: docs/architecture.md, "Rendering".
 */
export type ExpositionFormat = 'text' | 'openmetrics';

export const CONTENT_TYPES: Readonly<Record<ExpositionFormat, string>> = {
  text: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

/** The shape of one entry of registry.getMetricsAsJSON(). */
export interface MetricFamily {
  name: string;
  help: string;
  type: string;
  values: readonly { value: number; labels?: Readonly<Record<string, unknown>>; metricName?: string }[];
}

const NEEDS_ESCAPE = /[\\"\n]/;

export function escapeLabelValue(value: string): string {
  return NEEDS_ESCAPE.test(value)
    ? value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
    : value;
}

function escapeHelp(help: string, format: ExpositionFormat): string {
  const escaped = help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return format === 'openmetrics' ? escaped.replace(/"/g, '\\"') : escaped;
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

function formatLabels(
  labels: Readonly<Record<string, unknown>> | undefined,
  format: ExpositionFormat,
): string {
  if (!labels) return '';
  let out = '';
  for (const name in labels) {
    const raw = labels[name];
    if (raw === undefined) continue;
    const value =
      format === 'openmetrics' && (name === 'le' || name === 'quantile')
        ? formatOpenMetricsBound(raw)
        : typeof raw === 'number'
          ? formatNumber(raw)
          : escapeLabelValue(String(raw));
    out += `${out ? ',' : ''}${name}="${value}"`;
  }
  return out ? `{${out}}` : '';
}

function familyType(type: string, format: ExpositionFormat): string {
  if (format === 'openmetrics' && type === 'untyped') return 'unknown';
  return type;
}

/** The HELP and TYPE lines of a family, with the name the format wants. */
export function familyHeader(name: string, help: string, type: string, format: ExpositionFormat): string {
  const familyName = format === 'openmetrics' && type === 'counter' ? name.replace(/_total$/, '') : name;
  return `# HELP ${familyName} ${escapeHelp(help, format)}\n# TYPE ${familyName} ${familyType(type, format)}`;
}

export function formatFamily(family: MetricFamily, format: ExpositionFormat): string {
  const lines = [familyHeader(family.name, family.help, family.type, format)];
  const isOpenCounter = format === 'openmetrics' && family.type === 'counter';
  const counterSample = `${family.name.replace(/_total$/, '')}_total`;
  for (const sample of family.values) {
    const sampleName = isOpenCounter ? counterSample : (sample.metricName ?? family.name);
    lines.push(`${sampleName}${formatLabels(sample.labels, format)} ${formatNumber(sample.value)}`);
  }
  return lines.join('\n');
}

export function closeExposition(body: string, format: ExpositionFormat): string {
  return format === 'openmetrics' ? `${body}\n# EOF\n` : `${body}\n`;
}

export function formatExposition(families: readonly MetricFamily[], format: ExpositionFormat): string {
  return closeExposition(families.map((family) => formatFamily(family, format)).join('\n'), format);
}
