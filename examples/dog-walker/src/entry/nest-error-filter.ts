import { STATUS_CODES } from 'node:http';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/**
 * Gives Nest's errors the bodies the Express and Fastify entries send (`{ "error": "not found" }`
 * for a 404, `{ "error": "internal error" }` for a failure) in place of Nest's own
 * `{ statusCode, message, error }`, so a client sees one API whatever the framework. Promenade
 * counts the exception before any filter runs, so metrics are the same with or without it.
 */
@Catch()
export class ErrorBodyFilter implements ExceptionFilter {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const response: unknown = host.switchToHttp().getResponse();
    if (httpAdapter.isHeadersSent(response)) {
      httpAdapter.end(response);
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const error = (STATUS_CODES[status] ?? 'error').toLowerCase();
      httpAdapter.reply(response, { error }, status);
    } else {
      httpAdapter.reply(response, { error: 'internal error' }, 500);
    }
  }
}
