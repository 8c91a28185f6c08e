import { Counter, collectDefaultMetrics, Gauge, type Registry } from 'prom-client';
import { PromenadeError } from '../errors.js';
import { SeriesHistogram } from '../families/series-histogram.js';
import { OVERFLOW_ROUTE } from './labels.js';

/** OpenTelemetry's advice for `http.server.request.duration`, in seconds. */
export const DEFAULT_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
]);

/** Body sizes from 256 B to 16 MiB in steps of 4. */
export const DEFAULT_SIZE_BUCKETS: readonly number[] = Object.freeze([
  256, 1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216,
]);

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
  packageName: string;
}

/** The metric objects of one (registry, prefix). Every recorder on them shares them. */
export interface HttpSchema {
  readonly registry: Registry;
  readonly names: Readonly<Record<keyof typeof HTTP_METRIC_NAMES, string>>;
  readonly duration: SeriesHistogram;
  readonly requestSize: SeriesHistogram;
  readonly responseSize: SeriesHistogram;
  readonly exceptions: Counter<'method' | 'route' | 'type'>;
  readonly folded: Counter<'metric'>;
  readonly inFlight: { count: number };
  readonly maxLabelSets: number;
}

const schemas = new WeakMap<Registry, Map<string, HttpSchema>>();

/**
 * The HTTP families on this registry, defined on first use and shared after: two apps, a hot
 * reload or a test suite on one registry record into the same families instead of failing
 * with "already registered". Asking for other buckets on the same names is an error.
 */
export function defineHttpSchema(config: HttpSchemaConfig): HttpSchema {
  const { registry, prefix } = config;
  if (config.defaultMetrics) ensureDefaultMetrics(registry);
  let byPrefix = schemas.get(registry);
  if (!byPrefix) {
    byPrefix = new Map();
    schemas.set(registry, byPrefix);
  }
  const existing = byPrefix.get(prefix);
  if (existing && registry.getSingleMetric(existing.names.duration) === (existing.duration as never)) {
    assertSameBuckets(existing, config);
    return existing;
  }
  const schema = createSchema(config);
  byPrefix.set(prefix, schema);
  return schema;
}

function createSchema(config: HttpSchemaConfig): HttpSchema {
  const { registry, prefix, buckets, maxLabelSets } = config;
  const names = Object.fromEntries(
    Object.entries(HTTP_METRIC_NAMES).map(([key, name]) => [key, prefix + name]),
  ) as HttpSchema['names'];
  for (const name of Object.values(names)) {
    if (registry.getSingleMetric(name)) {
      throw new PromenadeError(
        'ERR_PROMENADE_METRIC_CONFLICT',
        `${config.packageName}: metric "${name}" is already registered by something other than Promenade; choose another "prefix"`,
      );
    }
  }
  const histogram = (name: string, help: string, labelNames: string[], bucketList: readonly number[]) =>
    new SeriesHistogram({
      name,
      help,
      labelNames,
      buckets: bucketList,
      foldLabel: 'route',
      foldedValue: OVERFLOW_ROUTE,
      maxSeries: maxLabelSets,
      registry,
    });
  const inFlight = { count: 0 };
  new Gauge({
    name: names.inFlight,
    help: 'HTTP requests being served right now.',
    registers: [registry],
    collect() {
      this.set(inFlight.count);
    },
  });
  return {
    registry,
    names,
    maxLabelSets,
    inFlight,
    duration: histogram(
      names.duration,
      'Duration of HTTP requests, from arrival to the last byte of the response, in seconds.',
      ['method', 'route', 'status_code'],
      buckets.duration,
    ),
    requestSize: histogram(
      names.requestSize,
      'Size of HTTP request bodies in bytes.',
      ['method', 'route'],
      buckets.requestSize,
    ),
    responseSize: histogram(
      names.responseSize,
      'Size of HTTP response bodies in bytes.',
      ['method', 'route'],
      buckets.responseSize,
    ),
    exceptions: new Counter({
      name: names.exceptions,
      help: 'Errors raised by HTTP handlers, by error type.',
      labelNames: ['method', 'route', 'type'],
      registers: [registry],
    }),
    folded: new Counter({
      name: names.folded,
      help: 'Observations whose label set was folded into route="<overflow>" because the metric reached its label-set cap.',
      labelNames: ['metric'],
      registers: [registry],
    }),
  };
}

function assertSameBuckets(schema: HttpSchema, config: HttpSchemaConfig): void {
  const pairs = [
    ['duration', schema.duration],
    ['requestSize', schema.requestSize],
    ['responseSize', schema.responseSize],
  ] as const;
  for (const [key, metric] of pairs) {
    const wanted = config.buckets[key];
    const same =
      wanted.length === metric.upperBounds.length &&
      wanted.every((bound, i) => bound === metric.upperBounds[i]);
    if (!same) {
      throw new PromenadeError(
        'ERR_PROMENADE_METRIC_CONFLICT',
        `${config.packageName}: option "buckets.${key}" differs from the buckets "${metric.name}" was already registered with on this registry (received ${JSON.stringify(wanted)}, registered ${JSON.stringify(metric.upperBounds)})`,
      );
    }
  }
}

/** prom-client's process metrics, once per registry, whoever asked first. */
export function ensureDefaultMetrics(registry: Registry): void {
  if (registry.getSingleMetric('process_cpu_user_seconds_total')) return;
  collectDefaultMetrics({ register: registry });
}
