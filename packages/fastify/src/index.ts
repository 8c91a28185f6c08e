import { fastifyMetrics } from './plugin.js';

export { fastifyMetrics } from './plugin.js';
export type { FastifyMetricsOptions, RouteMetricsConfig } from './types.js';
export default fastifyMetrics;
