// Helpers for tests of instrumented applications: @promenade/core/testing.
export {
  type Labels,
  type MetricsSnapshot,
  metricValue,
  sampleLines,
  scrape,
  snapshotMetrics,
} from './testing/metric-samples.js';
