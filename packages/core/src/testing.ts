// Helpers for tests of instrumented applications: @promenade/core/testing.
export {
  type Labels,
  type MetricsSnapshot,
  metricValue,
  sampleLines,
  scrape,
  scrapeProtobuf,
  snapshotMetrics,
} from './testing/metric-samples.js';
export {
  type DecodedExemplar,
  type DecodedMetric,
  type DecodedMetricFamily,
  type DecodedTimestamp,
  decodeProtobufPage,
} from './testing/protobuf-decoding.js';
