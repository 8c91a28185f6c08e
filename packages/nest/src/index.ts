export { InjectMetric } from './inject-metric.js';
export { CountExceptions, Timed, TrackInProgress } from './method-metrics.js';
export type { MetricDeclaration, MetricType } from './metric-declarations.js';
export {
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
  makeSummaryProvider,
} from './metric-providers.js';
export type { PrometheusModuleExtras, PrometheusModuleOptions } from './options.js';
export { PrometheusModule } from './prometheus.module.js';
export { getMetricToken } from './tokens.js';
