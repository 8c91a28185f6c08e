import { Logger } from '@nestjs/common';
import { createFailureReporter, type FailureReporter } from '@promenade/core/adapter';

/** Where the module reports what must not reach a request: failed recordings and scrapes. */
export const logger = new Logger('PrometheusModule');

/** Logs a failure with the error's stack (Nest's logger prints a second argument as the trace). */
export function logFailure(message: string, error: unknown): void {
  logger.error(message, error instanceof Error ? error.stack : error);
}

/** Made at the first failure, for the one hook Nest's exception layer shares across apps. */
let failures: FailureReporter | undefined;

/**
 * Metrics never break a request: a failure to record is logged, at most once a minute with the
 * number left unsaid, and the request goes on.
 */
export function reportRecordingFailure(error: unknown): void {
  failures ??= createFailureReporter(logFailure);
  failures.report('recording a request failed', error);
}
