import { createMetricFactories, type MetricFactories } from '../business/business-metrics.js';
import { reportToClusterPrimary } from '../cluster/worker-reporter.js';
import { createMetricsEndpoint, type MetricsEndpoint } from '../exposition/metrics-endpoint.js';
import { warnIfOpenInProduction } from '../exposition/open-endpoint-warning.js';
import {
  createFailureReporter,
  type FailureReporter,
  type FailureSink,
} from '../failures/failure-reporter.js';
import { ActiveTrace } from '../http/active-trace.js';
import { HttpRecorder } from '../http/http-recorder.js';
import { defineHttpSchema } from '../http/http-schema.js';
import {
  type HttpMetricsOptions,
  type ResolvedHttpOptions,
  resolveHttpOptions,
} from '../options/http-options.js';
import type { OptionShape } from '../options/option-rules.js';

/** Everything an adapter needs, built once from the user's options. */
export interface HttpInstrumentation {
  readonly options: ResolvedHttpOptions;
  readonly recorder: HttpRecorder;
  readonly endpoint: MetricsEndpoint;
  readonly metrics: MetricFactories;
  /** The one channel for this instance's failures: its recordings, its scrapes, its hooks. */
  readonly failures: FailureReporter;
}

export interface InstrumentationContext {
  /** Named in every option error, e.g. `@promenade/express`. */
  packageName: string;
  /** The adapter's own option keys, validated in the same pass as core's. */
  extraShape?: OptionShape;
  /**
   * Where a failure is said (a request that could not be recorded, a scrape that failed),
   * at most once a minute per kind: the framework's logger. Default: console.error, the
   * message prefixed with the package's name.
   */
  logFailure?: FailureSink;
  /**
   * Where the warning about an open `/metrics` in production goes (once per process).
   * Default: `process.emitWarning`, code PROMENADE_OPEN_METRICS.
   */
  warn?: (message: string) => void;
}

export function createHttpInstrumentation(
  options: unknown,
  context: InstrumentationContext,
): HttpInstrumentation {
  const { packageName } = context;
  const resolved = resolveHttpOptions(options, packageName, context.extraShape);
  // Before anything is registered: exemplars without the API fail here, leaving no trace.
  const activeTrace = resolved.exemplars ? ActiveTrace.load(packageName) : undefined;
  warnIfOpenInProduction({
    packageName,
    metricsPath: resolved.metricsPath,
    // Validated above: undefined or an options object.
    authOption: (options as HttpMetricsOptions | undefined)?.auth,
    resolvedAuth: resolved.auth,
    warn: context.warn,
  });
  const schema = defineHttpSchema({ ...resolved, packageName });
  // In a node:cluster worker, the primary's aggregation reads this registry: no call of the user's.
  reportToClusterPrimary(resolved.registry);
  const failures = createFailureReporter(
    context.logFailure ?? ((message, error) => console.error(`${packageName}: ${message}`, error)),
  );
  return {
    options: resolved,
    recorder: new HttpRecorder(schema, activeTrace),
    endpoint: createMetricsEndpoint({
      registry: resolved.registry,
      auth: resolved.auth,
      onError: (error) => failures.report('metrics collection failed', error),
      createdLines: resolved.createdLines,
    }),
    metrics: createMetricFactories(resolved.registry),
    failures,
  };
}
