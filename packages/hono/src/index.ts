export { metricsMiddleware } from './middleware.js';
export type { HonoMetricsOptions, MetricsMiddleware } from './types.js';
