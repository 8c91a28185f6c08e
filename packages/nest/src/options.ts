import { type HttpMetricsOptions } from '@promenade/core';
import { isBoolean, type OptionShape } from '@promenade/core/adapter';
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
   * Count what routes raise (guards, pipes, interceptors, handlers) in `http_exceptions_total`,
   * by error type. Default: true. It costs nothing until something throws.
   */
  exceptions?: boolean;
}

/** The extras, validated in the same pass as core's options. */
export const extraOptionShape: OptionShape = { metrics: isMetricDeclarations, exceptions: isBoolean };
