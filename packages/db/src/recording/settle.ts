import type { FailureReporter } from '@promenade/core/adapter';
import type { OperationSeries } from './operation-series.js';

const RECORDING_FAILED = 'recording a database operation failed';

/** Records a statement's outcome; a failure of the recording itself is reported, never thrown into the query. */
export function recordSucceeded(series: OperationSeries, startedAt: number, failures: FailureReporter): void {
  try {
    series.succeeded(startedAt);
  } catch (error) {
    failures.report(RECORDING_FAILED, error);
  }
}

export function recordFailed(
  series: OperationSeries,
  error: unknown,
  startedAt: number,
  failures: FailureReporter,
): void {
  try {
    series.failed(error, startedAt);
  } catch (failure) {
    failures.report(RECORDING_FAILED, failure);
  }
}

/**
 * `pending`, recorded when it settles, with its very result or error passed on. A plain `then`
 * rather than an `async` function: no suspended frame and no extra microtask per query.
 */
export function settlePromise<T>(
  series: OperationSeries,
  startedAt: number,
  failures: FailureReporter,
  pending: Promise<T>,
): Promise<T> {
  return pending.then(
    (result) => {
      recordSucceeded(series, startedAt, failures);
      return result;
    },
    (error: unknown) => {
      recordFailed(series, error, startedAt, failures);
      throw error;
    },
  );
}

type NodeCallback = (this: unknown, error: unknown, ...results: unknown[]) => unknown;

/** `callback`, recording the statement before it runs, with its arguments and `this` unchanged. */
export function settleCallback(
  series: OperationSeries,
  startedAt: number,
  failures: FailureReporter,
  callback: NodeCallback,
): NodeCallback {
  return function settled(this: unknown, error: unknown) {
    if (error) recordFailed(series, error, startedAt, failures);
    else recordSucceeded(series, startedAt, failures);
    // biome-ignore lint/complexity/noArguments: the driver's arguments, whatever their number, passed on as they are
    return callback.apply(this, arguments as unknown as [unknown, ...unknown[]]);
  };
}
