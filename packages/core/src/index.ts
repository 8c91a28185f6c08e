// What an application uses. Adapter authors import `@promenade/core/adapter`; tests of
// instrumented applications import `@promenade/core/testing`.

export {
  counter,
  createMetricFactories,
  type GaugeDefinition,
  gauge,
  type HistogramDefinition,
  histogram,
  type MetricDefinition,
  type MetricFactories,
  type MetricKind,
  type SummaryDefinition,
  summary,
} from './business/business-metrics.js';
export { type CounterMetric, countExceptions } from './business/count-exceptions.js';
export { type AnyFunction, type LabelValues, type TimerMetric, timed } from './business/timed.js';
export { type InProgressGauge, trackInProgress } from './business/track-in-progress.js';
export {
  ClusterAggregator,
  type ClusterAggregatorOptions,
  startClusterAggregator,
} from './cluster/cluster-aggregator.js';
export { CLUSTER_METRIC_NAMES } from './cluster/cluster-families.js';
export { AGGREGATIONS, type Aggregation } from './cluster/protocol.js';
export { type ClusterWorkerReport, reportToClusterPrimary } from './cluster/worker-reporter.js';
export {
  type MetricsServer,
  type MetricsServerOptions,
  startMetricsServer,
} from './composition/metrics-server.js';
export { PromenadeError, type PromenadeErrorCode } from './errors.js';
export type { ExpositionFormat } from './exposition/exposition-writer.js';
export {
  createMetricsEndpoint,
  type MetricsEndpoint,
  type MetricsEndpointConfig,
  type ScrapeRequest,
  type ScrapeResult,
} from './exposition/metrics-endpoint.js';
export { HTTP_METRIC_NAMES } from './http/http-schema.js';
export {
  CLIENT_CLOSED_REQUEST,
  OTHER_METHOD,
  OTHER_STATUS,
  OVERFLOW_ROUTE,
  UNMATCHED_ROUTE,
} from './http/labels.js';
export { DEFAULT_DURATION_BUCKETS, DEFAULT_SIZE_BUCKETS } from './options/default-buckets.js';
export type { BasicAuth, BearerAuth, HttpMetricsOptions, MetricsAuth } from './options/http-options.js';
export {
  createPushgatewayClient,
  type PushGroup,
  type PushgatewayClient,
  type PushgatewayOptions,
  type PushOptions,
} from './pushgateway/pushgateway-client.js';
export { JOB_METRIC_NAMES, type JobOptions, runJob } from './pushgateway/run-job.js';
