import { callAround } from './call-around.js';
import { type AnyFunction, type LabelValues, sameShape } from './timed.js';
import { checkWrap, splitArgs } from './wrap-checks.js';

export interface InProgressGauge {
  inc(labels: LabelValues): void;
  dec(labels: LabelValues): void;
}

/**
 * `fn` counted in `gauge` while it runs (up on entry, down when it returns, throws or settles),
 * as Python's `@gauge.track_inprogress()`.
 */
export function trackInProgress<F extends AnyFunction>(gauge: InProgressGauge, fn: F): F;
export function trackInProgress<F extends AnyFunction>(gauge: InProgressGauge, labels: LabelValues, fn: F): F;
export function trackInProgress<F extends AnyFunction>(
  gauge: InProgressGauge,
  labelsOrFn: LabelValues | F,
  maybeFn?: F,
): F {
  const [labels, fn] = splitArgs<F>(labelsOrFn, maybeFn);
  checkWrap('trackInProgress', gauge, ['inc', 'dec'], labels, fn);
  const fixed = { ...labels };
  const inc = gauge.inc.bind(gauge);
  const dec = gauge.dec.bind(gauge);
  const done = () => dec(fixed);
  return sameShape(function trackedCall(this: unknown, ...args: unknown[]) {
    inc(fixed);
    return callAround(fn, this, args, done);
  }, fn);
}
