import {
  createHttpInstrumentation,
  type HttpInstrumentation,
  isPlainObject,
  optionError,
} from '@promenade/core/adapter';
import { logFailure, logger } from './logger.js';
import { declareMetric } from './metric-declarations.js';
import { extraOptionShape, type PrometheusModuleExtras } from './options.js';
import { PACKAGE_NAME } from './tokens.js';

const EXTRA_KEYS = Object.keys(extraOptionShape) as (keyof PrometheusModuleExtras)[];

/** One object for core to validate in one pass; a copy, never the caller's options. */
function withExtras(options: unknown, extras: PrometheusModuleExtras): unknown {
  const given = EXTRA_KEYS.filter((key) => extras[key] !== undefined);
  // Anything but an object or undefined is core's to report, as it is.
  if (given.length === 0 || (options !== undefined && !isPlainObject(options))) return options;
  const merged: Record<string, unknown> = { ...(options as object | undefined) };
  for (const key of given) merged[key] = extras[key];
  return merged;
}

/**
 * Builds the module's instrumentation from the options `forRoot` received (or `useFactory`
 * returned) and the extras. Runs once, when Nest instantiates the module, so a bad option
 * fails the application's start-up with core's coded error.
 */
export function createModuleInstrumentation(
  options: unknown,
  extras: PrometheusModuleExtras,
): HttpInstrumentation {
  if (isPlainObject(options)) {
    // Only forRootAsync's factory can get here: forRoot takes the extras out of its options.
    const returned = EXTRA_KEYS.find((key) => options[key] !== undefined);
    if (returned !== undefined) {
      throw optionError(
        PACKAGE_NAME,
        returned,
        'must be given to forRootAsync() beside useFactory, not returned by the factory: it shapes the providers Nest creates before the factory runs',
        options[returned],
      );
    }
  }
  const instrumentation = createHttpInstrumentation(withExtras(options, extras), {
    packageName: PACKAGE_NAME,
    extraShape: extraOptionShape,
    logFailure,
    // Nest's logger, where the module's other warnings go; it is on unless the app turns it off.
    warn: (message) => logger.warn(message),
  });
  for (const declaration of extras.metrics ?? []) declareMetric(instrumentation.metrics, declaration);
  return instrumentation;
}
