// What an application uses: each name here is documented in core's README, and the main-entry
// test pins the list. Adapter authors import `@promenade/core/adapter`; tests of instrumented
// applications import `@promenade/core/testing`.

export {
  type CounterDefinition,
  counter,
  createMetricFactories,
  type GaugeDefinition,
  gauge,
  type HistogramDefinition,
  histogram,
  type MetricDefinition,
  type MetricFactories,
  type SummaryDefinition,
  summary,
} from './business/business-metrics.js';
export { type CounterMetric, countExceptions } from './business/count-exceptions.js';
export { type LabelValues, type TimerMetric, timed } from './business/timed.js';
export { type InProgressGauge, trackInProgress } from './business/track-in-progress.js';
export { type ClusterAggregatorOptions, startClusterAggregator } from './cluster/cluster-aggregator.js';
export type { Aggregation } from './cluster/protocol.js';
export {
  type SocketAggregator,
  type SocketAggregatorOptions,
  startSocketAggregator,
} from './cluster/socket-aggregator.js';
export { reportToSocketAggregator, type SocketReportOptions } from './cluster/socket-reporter.js';
export {
  startThreadAggregator,
  type ThreadAggregator,
  type ThreadAggregatorOptions,
} from './cluster/thread-aggregator.js';
export { reportToMainThread } from './cluster/thread-reporter.js';
export { type ClusterWorkerReport, reportToClusterPrimary } from './cluster/worker-reporter.js';
export {
  type MetricsServer,
  type MetricsServerOptions,
  startMetricsServer,
} from './composition/metrics-server.js';
export { PromenadeError, type PromenadeErrorCode } from './errors.js';
export {
  createMetricsEndpoint,
  type MetricsEndpoint,
  type MetricsEndpointConfig,
} from './exposition/metrics-endpoint.js';
export { DEFAULT_DURATION_BUCKETS, DEFAULT_SIZE_BUCKETS } from './options/default-buckets.js';
export type { BasicAuth, BearerAuth, HttpMetricsOptions, MetricsAuth } from './options/http-options.js';
export type { NativeHistogramOptions } from './options/native-histogram-options.js';
export {
  createPushgatewayClient,
  type PushgatewayClient,
  type PushgatewayOptions,
  type PushOptions,
} from './pushgateway/pushgateway-client.js';
export { type JobOptions, runJob } from './pushgateway/run-job.js';
