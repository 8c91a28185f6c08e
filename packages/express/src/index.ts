export { metricsMiddleware } from './middleware.js';
export type { ExpressMetricsOptions, MetricsMiddleware } from './types.js';
