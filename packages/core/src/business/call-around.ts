import { createFailureReporter, type FailureReporter } from '../failures/failure-reporter.js';
/**
 * Calls `fn` with the caller's `this` and arguments and runs `after` exactly once when the call
 * is over: when it returns, throws, or (for a promise or thenable) settles. The result or the
 * error passes through unchanged; a failure inside `after` (recording a metric) is reported and
 * never replaces them.
 */
export function callAround<R>(
  fn: (...args: never[]) => R,
  thisArg: unknown,
  args: readonly unknown[],
  after: (error: unknown, failed: boolean) => void,
): R {
  let result: R;
  try {
    result = Reflect.apply(fn, thisArg, args) as R;
  } catch (error) {
    safely(after, error, true);
    throw error;
  }
  if (isThenable(result)) {
    return result.then(
      (value) => {
        safely(after, undefined, false);
        return value;
      },
      (error: unknown) => {
        safely(after, error, true);
        throw error;
      },
    ) as R;
  }
  safely(after, undefined, false);
  return result;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Made at the first failure: importing core creates nothing. */
let failures: FailureReporter | undefined;

function safely(after: (error: unknown, failed: boolean) => void, error: unknown, failed: boolean): void {
  try {
    after(error, failed);
  } catch (recordingError) {
    failures ??= createFailureReporter((message, cause) =>
      console.error(`@promenade/core: ${message}`, cause),
    );
    failures.report('recording a timed call failed', recordingError);
  }
}
