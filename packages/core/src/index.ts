export { type CounterMetric, countExceptions } from './business/count-exceptions.js';
export { type AnyFunction, type LabelValues, type TimerMetric, timed } from './business/timed.js';
export { type InProgressGauge, trackInProgress } from './business/track-in-progress.js';
export {
  checkSummaryWindow,
  counter,
  createMetricFactories,
  type GaugeDefinition,
  gauge,
  type HistogramDefinition,
  histogram,
  METRIC_DEFINITION_SHAPES,
  type MetricDefinition,
  type MetricFactories,
  type MetricKind,
  type SummaryDefinition,
  summary,
} from './business-metrics.js';
export { optionError, PromenadeError, type PromenadeErrorCode } from './errors.js';
export {
  CONTENT_TYPES,
  type ExpositionFormat,
  formatExposition,
  type MetricFamily,
} from './exposition-format.js';
export {
  createHttpInstrumentation,
  type HttpInstrumentation,
  type InstrumentationContext,
} from './http-instrumentation.js';
export {
  type BasicAuth,
  type BearerAuth,
  type HttpMetricsOptions,
  httpOptionShape,
  type MetricsAuth,
  type ResolvedHttpOptions,
  resolveAuth,
  resolveHttpOptions,
} from './http-options.js';
export { HttpRecorder } from './http-recorder.js';
export {
  DEFAULT_DURATION_BUCKETS,
  DEFAULT_SIZE_BUCKETS,
  defineHttpSchema,
  ensureDefaultMetrics,
  HTTP_METRIC_NAMES,
  type HttpSchema,
} from './http-schema.js';
export {
  frameworkPrototype,
  hookResponsePrototype,
  InFlightRequest,
  inFlightRequestOf,
  trackInFlightRequest,
} from './in-flight-requests.js';
export { LabelSetCap } from './label-set-cap.js';
export {
  CLIENT_CLOSED_REQUEST,
  HTTP_METHODS,
  normalizeErrorType,
  normalizeMethod,
  normalizeStatusCode,
  OTHER_METHOD,
  OTHER_STATUS,
  OVERFLOW_ROUTE,
  UNMATCHED_ROUTE,
} from './labels.js';
export { type AuthCheck, createAuthCheck } from './metrics-auth.js';
export {
  createMetricsEndpoint,
  type MetricsEndpoint,
  type MetricsEndpointConfig,
  type ScrapeRequest,
  type ScrapeResult,
} from './metrics-endpoint.js';
export { isMetricsPath } from './metrics-path.js';
export { type MetricsServer, type MetricsServerOptions, startMetricsServer } from './metrics-server.js';
export { acceptsGzip, negotiateFormat } from './negotiate.js';
export { requestBodyBytes, responseBodyBytes, trackResponseBytes } from './node-http.js';
export {
  type CheckContext,
  checkOptions,
  isBoolean,
  isBuckets,
  isFunction,
  isLabelNames,
  isMetricName,
  isMetricPrefix,
  isNonEmptyString,
  isPlainObject,
  isPositiveInteger,
  isUrlPath,
  nested,
  type OptionCheck,
  type OptionShape,
} from './option-rules.js';
export {
  createPushgatewayClient,
  type PushGroup,
  type PushgatewayClient,
  type PushgatewayOptions,
  type PushOptions,
} from './pushgateway/pushgateway-client.js';
export { JOB_METRIC_NAMES, type JobOptions, runJob } from './pushgateway/run-job.js';
export { renderRegistry } from './render-registry.js';
export { CounterSeries, SeriesCounter } from './series-counter.js';
export { HistogramSeries, SeriesHistogram } from './series-histogram.js';
