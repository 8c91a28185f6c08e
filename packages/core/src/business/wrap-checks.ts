import { optionError } from '../errors.js';
import { isPlainObject } from '../options/option-rules.js';

const PACKAGE = '@promenade/core';

/** The metric's declared label names; prom-client keeps them on every metric. */
export function labelNamesOf(metric: object): readonly string[] {
  return ((metric as { labelNames?: readonly string[] }).labelNames ?? []) as readonly string[];
}

/** Checks once, when a function is wrapped, what every call would otherwise fail on. */
export function checkWrap(
  helper: string,
  metric: unknown,
  methods: readonly string[],
  labels: unknown,
  fn: unknown,
): void {
  const hasMethods =
    typeof metric === 'object' &&
    metric !== null &&
    methods.every((method) => typeof (metric as Record<string, unknown>)[method] === 'function');
  if (!hasMethods) {
    throw optionError(PACKAGE, `${helper}.metric`, `must be a metric with ${methods.join(' and ')}`, metric);
  }
  if (labels !== undefined && !isPlainObject(labels)) {
    throw optionError(PACKAGE, `${helper}.labels`, 'must be an object of label values', labels);
  }
  const declared = labelNamesOf(metric as object);
  for (const name of Object.keys((labels as object | undefined) ?? {})) {
    if (!declared.includes(name)) {
      throw optionError(
        PACKAGE,
        `${helper}.labels.${name}`,
        `is not a label of the metric (its labels: ${declared.join(', ') || 'none'})`,
        (labels as Record<string, unknown>)[name],
      );
    }
  }
  if (typeof fn !== 'function') throw optionError(PACKAGE, `${helper}.fn`, 'must be a function', fn);
}

/** Reads `(metric, fn)` and `(metric, labels, fn)` alike. */
export function splitArgs<F>(
  labelsOrFn: unknown,
  maybeFn: unknown,
): [Record<string, string | number> | undefined, F] {
  return typeof labelsOrFn === 'function' && maybeFn === undefined
    ? [undefined, labelsOrFn as F]
    : [labelsOrFn as Record<string, string | number> | undefined, maybeFn as F];
}
