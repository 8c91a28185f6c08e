import { collectDefaultMetrics, type Registry } from 'prom-client';
import { type ConflictContext, type MetricClass, reusableMetric } from '../families/registered-metric.js';
import { SeriesCounter } from '../families/series-counter.js';
import { SeriesHistogram } from '../families/series-histogram.js';
import type { NativeHistogramSettings } from '../options/native-histogram-options.js';
import { InFlightGauge } from './in-flight-gauge.js';
import { OVERFLOW_ROUTE } from './labels.js';

/** The names of the HTTP families, before the prefix. The one schema every adapter shares. */
export const HTTP_METRIC_NAMES = Object.freeze({
  duration: 'http_request_duration_seconds',
  requestSize: 'http_request_size_bytes',
  responseSize: 'http_response_size_bytes',
  inFlight: 'http_requests_in_flight',
  exceptions: 'http_exceptions_total',
  folded: 'promenade_label_sets_folded_total',
});

export interface HttpSchemaConfig {
  registry: Registry;
  prefix: string;
  buckets: { duration: readonly number[]; requestSize: readonly number[]; responseSize: readonly number[] };
  maxLabelSets: number;
  defaultMetrics: boolean;
  /** Undefined when native histograms are off. */
  nativeHistograms?: NativeHistogramSettings | undefined;
  packageName: string;
}

/** The metric objects of one (registry, prefix). Every recorder on them shares them. */
export interface HttpSchema {
  readonly registry: Registry;
  readonly names: Readonly<Record<keyof typeof HTTP_METRIC_NAMES, string>>;
  readonly duration: SeriesHistogram;
  readonly requestSize: SeriesHistogram;
  readonly responseSize: SeriesHistogram;
  readonly exceptions: SeriesCounter;
  readonly folded: SeriesCounter;
  readonly inFlight: InFlightGauge;
  /** The cap of the families, as they were first defined on this registry. */
  readonly maxLabelSets: number;
}

const HELP = {
  duration: 'Duration of HTTP requests, from arrival to the last byte of the response, in seconds.',
  requestSize: 'Size of HTTP request bodies in bytes.',
  responseSize: 'Size of HTTP response bodies in bytes.',
  inFlight: 'HTTP requests being served right now.',
  exceptions: 'Errors raised by HTTP handlers, by error type.',
  folded:
    'Observations whose label set was folded into route="<overflow>" because the metric reached its label-set cap.',
} satisfies Record<keyof typeof HTTP_METRIC_NAMES, string>;

const LABELS = {
  duration: ['method', 'route', 'status_code'],
  requestSize: ['method', 'route'],
  responseSize: ['method', 'route'],
  inFlight: [],
  exceptions: ['method', 'route', 'type'],
  folded: ['metric'],
} satisfies Record<keyof typeof HTTP_METRIC_NAMES, string[]>;

type HistogramKey = 'duration' | 'requestSize' | 'responseSize';

/**
 * The HTTP families on this registry, defined on first use and reused after: two apps, a hot
 * reload or a test suite on one registry record into the same families instead of failing
 * with "already registered". A family that differs (another kind of metric under the name,
 * other buckets) fails before anything is registered, naming what differs.
 */
export function defineHttpSchema(config: HttpSchemaConfig): HttpSchema {
  const { registry, prefix, maxLabelSets, packageName } = config;
  const native = config.nativeHistograms;
  // Native only: no classic bound, so a series keeps the +Inf bucket, its sum and its count.
  const buckets =
    native && !native.classic ? { duration: [], requestSize: [], responseSize: [] } : config.buckets;
  if (config.defaultMetrics) ensureDefaultMetrics(registry);
  const names = Object.fromEntries(
    Object.entries(HTTP_METRIC_NAMES).map(([key, name]) => [key, prefix + name]),
  ) as HttpSchema['names'];
  const context: ConflictContext = { packageName, remedy: 'choose another "prefix"' };
  const find = <T extends object>(key: keyof typeof HTTP_METRIC_NAMES, type: MetricClass<T>) =>
    reusableMetric(registry, { name: names[key], type, help: HELP[key], labelNames: LABELS[key] }, context);
  const findHistogram = (key: HistogramKey) =>
    reusableMetric(
      registry,
      {
        name: names[key],
        type: SeriesHistogram,
        help: HELP[key],
        labelNames: LABELS[key],
        buckets: buckets[key],
        nativeHistogram: native ?? false,
      },
      { ...context, optionPaths: { buckets: `buckets.${key}`, nativeHistogram: 'nativeHistograms' } },
    );
  // Every name is checked before any family is made, so a conflict leaves the registry as it was.
  const found = {
    duration: findHistogram('duration'),
    requestSize: findHistogram('requestSize'),
    responseSize: findHistogram('responseSize'),
    inFlight: find('inFlight', InFlightGauge),
    exceptions: find('exceptions', SeriesCounter),
    folded: find('folded', SeriesCounter),
  };
  const folded =
    found.folded ??
    new SeriesCounter({ name: names.folded, help: HELP.folded, labelNames: LABELS.folded, registry });
  const cap = { label: 'route', foldedValue: OVERFLOW_ROUTE, maxLabelSets, folds: folded };
  const inFlight = found.inFlight ?? new InFlightGauge(names.inFlight, HELP.inFlight, registry);
  const histogram = (key: HistogramKey) =>
    found[key] ??
    new SeriesHistogram({
      name: names[key],
      help: HELP[key],
      labelNames: LABELS[key],
      buckets: buckets[key],
      nativeHistogram: native,
      registry,
      cap,
    });
  const duration = histogram('duration');
  const requestSize = histogram('requestSize');
  const responseSize = histogram('responseSize');
  const exceptions =
    found.exceptions ??
    new SeriesCounter({
      name: names.exceptions,
      help: HELP.exceptions,
      labelNames: LABELS.exceptions,
      registry,
      cap,
    });
  // Each capped family's fold count is shown from the start, at 0, so an alert on its increase
  // evaluates to a series (0) rather than to nothing while no label set was folded.
  for (const capped of [names.duration, names.requestSize, names.responseSize, names.exceptions]) {
    folded.series([capped]);
  }
  return {
    registry,
    names,
    duration,
    requestSize,
    responseSize,
    inFlight,
    exceptions,
    folded,
    // Reused families keep the cap they were made with; the route cache follows them.
    maxLabelSets: duration.maxLabelSets,
  };
}

/** prom-client's process metrics, once per registry, whoever asked first. */
export function ensureDefaultMetrics(registry: Registry): void {
  if (registry.getSingleMetric('process_cpu_user_seconds_total')) return;
  collectDefaultMetrics({ register: registry });
}
