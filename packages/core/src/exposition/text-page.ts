import type {
  Exemplar,
  ExposedCounter,
  ExposedFamily,
  ExposedHistogram,
  MetricFamily,
} from './exposed-family.js';
import { exemplarOfSample } from './sample-exemplar.js';
import { escapeHelp, escapeLabelValue, formatNumber, formatOpenMetricsBound } from './text-escaping.js';

/**
 * The page of the two text formats, which share one grammar. OpenMetrics differs in a few
 * places, each marked by `openMetrics` below: a counter family is named without `_total` and
 * its samples with it, `untyped` is `unknown`, help escapes double quotes, `le` and `quantile`
 * are floats (1.0), and the page ends with `# EOF`. `createdLines` (OpenMetrics only) adds a
 * `_created` sample to each counter and histogram series whose start is known.
 */
export function writeTextPage(
  families: readonly ExposedFamily[],
  openMetrics: boolean,
  createdLines = false,
): string {
  const created = openMetrics && createdLines;
  const body = families.map((family) => writeFamily(family, openMetrics, created)).join('\n');
  return openMetrics ? `${body}\n# EOF\n` : `${body}\n`;
}

function writeFamily(family: ExposedFamily, openMetrics: boolean, created: boolean): string {
  switch (family.kind) {
    case 'counter':
      return writeCounter(family, openMetrics, created);
    case 'histogram':
      return writeHistogram(family, openMetrics, created);
    case 'samples':
      return writeSamples(family.family, openMetrics);
  }
}

/** The HELP and TYPE lines of a family, with the name the format wants. */
function header(name: string, help: string, type: string, openMetrics: boolean): string {
  const familyName = openMetrics && type === 'counter' ? name.replace(/_total$/, '') : name;
  const typeName = openMetrics && type === 'untyped' ? 'unknown' : type;
  return `# HELP ${familyName} ${escapeHelp(help, openMetrics)}\n# TYPE ${familyName} ${typeName}`;
}

function counterSampleName(name: string, openMetrics: boolean): string {
  return openMetrics ? `${name.replace(/_total$/, '')}_total` : name;
}

// The two writers below are the scrape's hot path: label text comes escaped from the series.

/** OpenMetrics' `_created` sample: the series' start, in seconds. */
function createdLine(name: string, labels: string, created: number | undefined): string {
  if (created === undefined) return '';
  const value = formatNumber(created / 1000);
  return labels ? `\n${name}_created{${labels}} ${value}` : `\n${name}_created ${value}`;
}

/** OpenMetrics' exemplar after a sample: ` # {labels} value timestamp`, the time in seconds. */
function exemplarText(exemplar: Exemplar | undefined): string {
  if (exemplar === undefined) return '';
  return ` # {${exemplar.labelText}} ${formatNumber(exemplar.value)} ${formatNumber(exemplar.timestamp / 1000)}`;
}

function writeCounter(family: ExposedCounter, openMetrics: boolean, created: boolean): string {
  const sample = counterSampleName(family.name, openMetrics);
  const base = family.name.replace(/_total$/, '');
  let out = header(family.name, family.help, 'counter', openMetrics);
  for (const series of family.series) {
    const labels = series.labelText;
    out += labels
      ? `\n${sample}{${labels}} ${formatNumber(series.value)}`
      : `\n${sample} ${formatNumber(series.value)}`;
    if (openMetrics && series.exemplar !== undefined) out += exemplarText(series.exemplar);
    if (created) out += createdLine(base, labels, series.created);
  }
  return out;
}

function writeHistogram(family: ExposedHistogram, openMetrics: boolean, created: boolean): string {
  const { name } = family;
  const bounds = family.upperBounds.map((bound) =>
    openMetrics ? formatOpenMetricsBound(bound) : formatNumber(bound),
  );
  const bucket = `${name}_bucket{`;
  const sum = `${name}_sum{`;
  const count = `${name}_count{`;
  let out = header(name, family.help, 'histogram', openMetrics);
  for (const series of family.series) {
    const labels = series.labelText;
    const separator = labels ? ',' : '';
    // Only OpenMetrics has exemplars; they go on the bucket lines, as its specification says.
    const exemplars = openMetrics ? series.exemplars : undefined;
    let cumulative = 0;
    for (let i = 0; i < bounds.length; i++) {
      cumulative += series.counts[i]!;
      out += `\n${bucket}${labels}${separator}le="${bounds[i]}"} ${cumulative}`;
      if (exemplars !== undefined) out += exemplarText(exemplars[i]);
    }
    out += `\n${bucket}${labels}${separator}le="+Inf"} ${series.count}`;
    if (exemplars !== undefined) out += exemplarText(exemplars[bounds.length]);
    out += `\n${sum}${labels}} ${formatNumber(series.sum)}`;
    out += `\n${count}${labels}} ${series.count}`;
    if (created) out += createdLine(name, labels, series.created);
  }
  return out;
}

function writeLabels(labels: Readonly<Record<string, unknown>> | undefined, openMetrics: boolean): string {
  if (!labels) return '';
  let out = '';
  for (const name in labels) {
    const raw = labels[name];
    if (raw === undefined) continue;
    const value =
      openMetrics && (name === 'le' || name === 'quantile')
        ? formatOpenMetricsBound(raw)
        : typeof raw === 'number'
          ? formatNumber(raw)
          : escapeLabelValue(String(raw));
    out += `${out ? ',' : ''}${name}="${value}"`;
  }
  return out ? `{${out}}` : '';
}

function writeSamples(family: MetricFamily, openMetrics: boolean): string {
  const lines = [header(family.name, family.help, family.type, openMetrics)];
  const renamesCounter = openMetrics && family.type === 'counter';
  const counterSample = counterSampleName(family.name, true);
  for (const sample of family.values) {
    const sampleName = renamesCounter ? counterSample : (sample.metricName ?? family.name);
    const exemplar = openMetrics && sample.exemplar ? exemplarText(exemplarOfSample(sample)) : '';
    lines.push(
      `${sampleName}${writeLabels(sample.labels, openMetrics)} ${formatNumber(sample.value)}${exemplar}`,
    );
  }
  return lines.join('\n');
}
