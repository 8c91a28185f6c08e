import { callAround } from './call-around.js';
import { checkWrap, splitArgs } from './wrap-checks.js';

export type LabelValues = Readonly<Record<string, string | number>>;

/** A histogram, a summary or a gauge: anything with prom-client's `startTimer`. */
export interface TimerMetric {
  startTimer(labels?: LabelValues): (labels?: LabelValues) => number;
}

export type AnyFunction = (this: any, ...args: any[]) => any;

/** Gives the wrapper the wrapped function's name and arity, so stack traces and frameworks read it alike. */
export function sameShape<F extends AnyFunction>(wrapper: AnyFunction, fn: F): F {
  Object.defineProperty(wrapper, 'name', { value: fn.name, configurable: true });
  Object.defineProperty(wrapper, 'length', { value: fn.length, configurable: true });
  return wrapper as F;
}

/**
 * `fn` timed into `metric` (seconds, observed when it returns, throws, resolves or rejects), as
 * Python's `@histogram.time()`. `this`, the arguments, the result and any error pass through.
 */
export function timed<F extends AnyFunction>(metric: TimerMetric, fn: F): F;
export function timed<F extends AnyFunction>(metric: TimerMetric, labels: LabelValues, fn: F): F;
export function timed<F extends AnyFunction>(
  metric: TimerMetric,
  labelsOrFn: LabelValues | F,
  maybeFn?: F,
): F {
  const [labels, fn] = splitArgs<F>(labelsOrFn, maybeFn);
  checkWrap('timed', metric, ['startTimer'], labels, fn);
  const fixed = labels ? { ...labels } : undefined;
  const start = metric.startTimer.bind(metric);
  return sameShape(function timedCall(this: unknown, ...args: unknown[]) {
    const end = start(fixed);
    return callAround(fn, this, args, () => end());
  }, fn);
}
