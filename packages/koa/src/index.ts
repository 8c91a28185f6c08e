export { metricsMiddleware } from './middleware.js';
export type { KoaMetricsOptions, MetricsMiddleware } from './types.js';
