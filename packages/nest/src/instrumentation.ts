import {
  createHttpInstrumentation,
  type HttpInstrumentation,
  isPlainObject,
  optionError,
} from '@promenade/core';
import { logger } from './logger.js';
import { declareMetric, isMetricDeclarations, type MetricDeclaration } from './metric-declarations.js';
import { PACKAGE_NAME } from './tokens.js';

/** One object for core to validate in one pass; a copy, never the caller's options. */
function withDeclarations(options: unknown, metrics: readonly MetricDeclaration[] | undefined): unknown {
  if (metrics === undefined) return options;
  if (options === undefined) return { metrics };
  // Anything but an object is core's to report.
  return isPlainObject(options) ? { ...options, metrics } : options;
}

/**
 * Builds the module's instrumentation from the options `forRoot` received (or `useFactory`
 * returned) and the metric declarations. Runs once, when Nest instantiates the module, so a bad
 * option fails the application's start-up with core's coded error.
 */
export function createModuleInstrumentation(
  options: unknown,
  metrics: readonly MetricDeclaration[] | undefined,
): HttpInstrumentation {
  if (isPlainObject(options) && options.metrics !== undefined) {
    // Only forRootAsync's factory can get here: forRoot takes `metrics` out of its options.
    throw optionError(
      PACKAGE_NAME,
      'metrics',
      'must be given to forRootAsync() beside useFactory, not returned by the factory: injectable metrics are declared before the factory runs',
      options.metrics,
    );
  }
  const instrumentation = createHttpInstrumentation(withDeclarations(options, metrics), {
    packageName: PACKAGE_NAME,
    extraShape: { metrics: isMetricDeclarations },
    onError: (error) =>
      logger.error('metrics collection failed', error instanceof Error ? error.stack : error),
  });
  for (const declaration of metrics ?? []) declareMetric(instrumentation.metrics, declaration);
  return instrumentation;
}
