import { normalizeErrorType } from '../http/labels.js';
import { callAround } from './call-around.js';
import { type AnyFunction, type LabelValues, sameShape } from './timed.js';
import { checkWrap, labelNamesOf, splitArgs } from './wrap-checks.js';

export interface CounterMetric {
  inc(labels: LabelValues, value?: number): void;
}

/**
 * `fn` with every throw or rejection counted into `counter` and rethrown unchanged, as Python's
 * `@counter.count_exceptions()`. A counter that declares the label `type` gets the error's name
 * there (`TypeError`, `ValidationError`).
 */
export function countExceptions<F extends AnyFunction>(counter: CounterMetric, fn: F): F;
export function countExceptions<F extends AnyFunction>(counter: CounterMetric, labels: LabelValues, fn: F): F;
export function countExceptions<F extends AnyFunction>(
  counter: CounterMetric,
  labelsOrFn: LabelValues | F,
  maybeFn?: F,
): F {
  const [labels, fn] = splitArgs<F>(labelsOrFn, maybeFn);
  checkWrap('countExceptions', counter, ['inc'], labels, fn);
  const fixed = { ...labels };
  const byType = labelNamesOf(counter).includes('type');
  const inc = counter.inc.bind(counter);
  const record = (error: unknown, failed: boolean) => {
    if (failed) inc(byType ? { ...fixed, type: normalizeErrorType(error) } : fixed);
  };
  return sameShape(function countingCall(this: unknown, ...args: unknown[]) {
    return callAround(fn, this, args, record);
  }, fn);
}
