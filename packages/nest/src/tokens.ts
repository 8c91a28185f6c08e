/**
 * Every injection token of the package, in one place. Module internals use symbols, which
 * no application token can collide with; metric tokens are strings built from the metric
 * name, so a provider and an `@InjectMetric` written in different files meet on one token.
 */

export const PACKAGE_NAME = '@promenade/nest';

/** The validated module options (what `forRoot` received or `useFactory` returned). */
export const PROMETHEUS_MODULE_OPTIONS = Symbol('@promenade/nest:module-options');

/** The module's HttpInstrumentation: recorder, endpoint and metric factories on one registry. */
export const PROMETHEUS_INSTRUMENTATION = Symbol('@promenade/nest:instrumentation');

/** Whether route exceptions are counted: the `exceptions` extra, true unless false. */
export const PROMETHEUS_COUNTS_EXCEPTIONS = Symbol('@promenade/nest:counts-exceptions');

/** The token of the business metric named `name`, e.g. `PROMETHEUS_METRIC_orders_total`. */
export function getMetricToken(name: string): string {
  return `PROMETHEUS_METRIC_${name}`;
}
