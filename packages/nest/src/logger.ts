import { Logger } from '@nestjs/common';

/** Where the module reports what must not reach a request: failed recordings and scrapes. */
export const logger = new Logger('PrometheusModule');

/** Logs a failure with the error's stack (Nest's logger prints a second argument as the trace). */
export function logFailure(message: string, error: unknown): void {
  logger.error(message, error instanceof Error ? error.stack : error);
}

/** Metrics never break a request: a failure to record is logged, and the request goes on. */
export function reportRecordingFailure(error: unknown): void {
  logFailure('failed to record a request', error);
}
