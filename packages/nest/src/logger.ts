import { Logger } from '@nestjs/common';

/** Where the module reports what must not reach a request: failed recordings and scrapes. */
export const logger = new Logger('PrometheusModule');

/** Metrics never break a request: a failure to record is logged, and the request goes on. */
export function reportRecordingFailure(error: unknown): void {
  logger.error('failed to record a request', error instanceof Error ? error.stack : error);
}
