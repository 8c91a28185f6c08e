import { register as globalRegistry, type Registry } from 'prom-client';
import { describeSecret, optionError, PromenadeError } from '../errors.js';
import { DEFAULT_DURATION_BUCKETS, DEFAULT_SIZE_BUCKETS } from './default-buckets.js';
import {
  isNativeHistogramOption,
  type NativeHistogramOptions,
  type NativeHistogramSettings,
  resolveNativeHistogram,
} from './native-histogram-options.js';
import {
  checkOptions,
  isBoolean,
  isBuckets,
  isMetricPrefix,
  isPlainObject,
  isPositiveInteger,
  isUrlPath,
  nested,
  type OptionCheck,
  type OptionShape,
} from './option-rules.js';

export interface BasicAuth {
  username: string;
  password: string;
}

export interface BearerAuth {
  token: string;
}

/** How `/metrics` is protected: HTTP basic auth or a bearer token. */
export type MetricsAuth = BasicAuth | BearerAuth;

export interface HttpMetricsOptions {
  /** Where metrics are registered. Default: prom-client's global registry. */
  registry?: Registry;
  /** Prepended to every HTTP metric name, e.g. `myapp_`. Default: none. */
  prefix?: string;
  buckets?: {
    /** Latency buckets in seconds. Default: OpenTelemetry's HTTP advice, 0.005 to 10. */
    duration?: readonly number[];
    /** Request body size buckets in bytes. Default: 256 B to 16 MiB, times 4. */
    requestSize?: readonly number[];
    /** Response body size buckets in bytes. Default: 256 B to 16 MiB, times 4. */
    responseSize?: readonly number[];
  };
  /** Path that serves the exposition, or `false` to mount the handler yourself. Default: `/metrics`. */
  metricsPath?: string | false;
  /**
   * Protection of `/metrics`. Default: taken from PROMENADE_METRICS_TOKEN, or
   * PROMENADE_METRICS_USERNAME and PROMENADE_METRICS_PASSWORD; open when none is set.
   * `false` leaves it open whatever the environment says.
   */
  auth?: MetricsAuth | false;
  /** Label sets one HTTP metric may grow to before new routes fold into `<overflow>`. Default: 10000. */
  maxLabelSets?: number;
  /** Collect prom-client's default process metrics (once per registry). Default: true. */
  defaultMetrics?: boolean;
  /**
   * Write a `_created` sample (when each series started counting) for the HTTP counters and
   * histograms on OpenMetrics pages. Default: false, as Prometheus 2 stores each as a series of
   * its own. Protobuf pages carry the start in the series itself, always.
   */
  createdLines?: boolean;
  /**
   * Native histograms for the three HTTP histograms, beside the classic buckets unless
   * `classic: false`: `true` for the defaults, or the settings. Default: off.
   */
  nativeHistograms?: boolean | NativeHistogramOptions;
  /**
   * Keep the active OpenTelemetry span's `trace_id` and `span_id` as an exemplar of each latency
   * observation made while a sampled span is active (the newest per bucket), written on
   * OpenMetrics and protobuf pages. Needs `@opentelemetry/api`, loaded only when this is on.
   * Default: false.
   */
  exemplars?: boolean;
}

export interface ResolvedHttpOptions {
  readonly registry: Registry;
  readonly prefix: string;
  readonly buckets: {
    readonly duration: readonly number[];
    readonly requestSize: readonly number[];
    readonly responseSize: readonly number[];
  };
  readonly metricsPath: string | false;
  readonly auth: MetricsAuth | undefined;
  readonly maxLabelSets: number;
  readonly defaultMetrics: boolean;
  readonly createdLines: boolean;
  /** Undefined when native histograms are off. */
  readonly nativeHistograms: NativeHistogramSettings | undefined;
  readonly exemplars: boolean;
}

const isRegistry: OptionCheck = (value, { packageName, path }) => {
  const candidate = value as Partial<Registry> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.registerMetric !== 'function' ||
    typeof candidate.getMetricsAsJSON !== 'function'
  ) {
    throw optionError(packageName, path, 'must be a prom-client Registry', value);
  }
};

/** Never echoes a secret: an error shows only its type and length. */
function secretError(packageName: string, path: string, value: unknown): PromenadeError {
  return optionError(packageName, path, 'must be a non-empty string', value, undefined, describeSecret);
}

const isSecret: OptionCheck = (value, { packageName, path }) => {
  if (typeof value !== 'string' || value.length === 0) throw secretError(packageName, path, value);
};

const isAuth: OptionCheck = (value, context) => {
  if (value === false) return;
  const { packageName, path } = context;
  // Whatever was given in place of credentials may be one (a bare token, a misnamed password).
  if (!isPlainObject(value)) {
    throw optionError(
      packageName,
      path,
      'must be { username, password }, { token } or false',
      value,
      undefined,
      describeSecret,
    );
  }
  if ('token' in value) {
    checkOptions(value, { token: isSecret }, packageName, path, describeSecret);
    if (value.token === undefined) throw secretError(packageName, `${path}.token`, undefined);
    return;
  }
  checkOptions(value, { username: isSecret, password: isSecret }, packageName, path, describeSecret);
  for (const key of ['username', 'password']) {
    if (value[key] === undefined) throw secretError(packageName, `${path}.${key}`, undefined);
  }
};

export const httpOptionShape: OptionShape = {
  registry: isRegistry,
  prefix: isMetricPrefix,
  buckets: nested({ duration: isBuckets, requestSize: isBuckets, responseSize: isBuckets }),
  metricsPath: (value, context) => {
    if (value !== false) isUrlPath(value, context);
  },
  auth: isAuth,
  maxLabelSets: isPositiveInteger,
  defaultMetrics: isBoolean,
  createdLines: isBoolean,
  nativeHistograms: isNativeHistogramOption,
  exemplars: isBoolean,
};

type Env = Readonly<Record<string, string | undefined>>;

function authFromEnvironment(env: Env, packageName: string): MetricsAuth | undefined {
  const token = env.PROMENADE_METRICS_TOKEN;
  const username = env.PROMENADE_METRICS_USERNAME;
  const password = env.PROMENADE_METRICS_PASSWORD;
  if (token) return { token };
  if (!username && !password) return undefined;
  if (!username || !password) {
    const missing = username ? 'PROMENADE_METRICS_PASSWORD' : 'PROMENADE_METRICS_USERNAME';
    throw new PromenadeError(
      'ERR_PROMENADE_INVALID_OPTION',
      `${packageName}: option "auth" needs both PROMENADE_METRICS_USERNAME and PROMENADE_METRICS_PASSWORD (received no ${missing})`,
    );
  }
  return { username, password };
}

/** The auth in force: the option, else the environment; `false` means open. */
export function resolveAuth(
  auth: MetricsAuth | false | undefined,
  packageName: string,
  env: Env = process.env,
): MetricsAuth | undefined {
  if (auth === false) return undefined;
  if (auth !== undefined) {
    isAuth(auth, { packageName, path: 'auth' });
    return { ...auth };
  }
  return authFromEnvironment(env, packageName);
}

/**
 * Validates HTTP options once, at creation, and fills in defaults. `extraShape` lets an
 * adapter add its own keys, validated in the same pass so a misspelling is caught either way.
 * The caller's object is read, never mutated.
 */
export function resolveHttpOptions(
  options: unknown,
  packageName: string,
  extraShape: OptionShape = {},
  env: Env = process.env,
): ResolvedHttpOptions {
  const input = checkOptions(
    options,
    { ...httpOptionShape, ...extraShape },
    packageName,
  ) as HttpMetricsOptions;
  const buckets = input.buckets ?? {};
  return {
    registry: input.registry ?? globalRegistry,
    prefix: input.prefix ?? '',
    buckets: {
      duration: Object.freeze([...(buckets.duration ?? DEFAULT_DURATION_BUCKETS)]),
      requestSize: Object.freeze([...(buckets.requestSize ?? DEFAULT_SIZE_BUCKETS)]),
      responseSize: Object.freeze([...(buckets.responseSize ?? DEFAULT_SIZE_BUCKETS)]),
    },
    metricsPath: input.metricsPath ?? '/metrics',
    auth: resolveAuth(input.auth, packageName, env),
    maxLabelSets: input.maxLabelSets ?? 10_000,
    defaultMetrics: input.defaultMetrics ?? true,
    createdLines: input.createdLines ?? false,
    nativeHistograms: resolveNativeHistogram(input.nativeHistograms),
    exemplars: input.exemplars ?? false,
  };
}
