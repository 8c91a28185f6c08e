import { type HttpMetricsOptions, isBoolean, type OptionShape } from '@promenade/core';
import { isMetricDeclarations, type MetricDeclaration } from './metric-declarations.js';

/** What `forRoot` takes and `forRootAsync`'s factory returns: core's HTTP options. */
export interface PrometheusModuleOptions extends HttpMetricsOptions {}

/**
 * Options that shape the module's providers, so Nest must know them before any factory runs:
 * given to `forRoot` with the others, and to `forRootAsync` beside `useFactory`, never
 * returned by the factory.
 */
export interface PrometheusModuleExtras {
  /** Business metrics to register on the module's registry and make injectable with `@InjectMetric(name)`. */
  metrics?: readonly MetricDeclaration[];
  /**
   * Count what route handlers throw in `http_exceptions_total`, through a global interceptor.
   * Default: true. `false` removes the interceptor, and with it Nest's interceptor machinery
   * from the requests of an application that has no other interceptor.
   */
  exceptions?: boolean;
}

/** The extras, validated in the same pass as core's options. */
export const extraOptionShape: OptionShape = { metrics: isMetricDeclarations, exceptions: isBoolean };
