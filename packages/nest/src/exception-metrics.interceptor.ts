import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { HttpInstrumentation } from '@promenade/core';
import { type Observable, tap } from 'rxjs';
import { reportRecordingFailure } from './logger.js';
import { routeTemplateOf } from './route-template.js';
import { PROMETHEUS_INSTRUMENTATION } from './tokens.js';

/**
 * Counts what a route's handler throws, pipes and interceptors included, by error type, as
 * django-prometheus counts the exceptions its views raise. HttpExceptions count too, under
 * their class name (`NotFoundException`). Installed globally by the module. The error goes on
 * unchanged to the exception filters, which decide the status.
 */
@Injectable()
export class ExceptionMetricsInterceptor implements NestInterceptor {
  constructor(@Inject(PROMETHEUS_INSTRUMENTATION) private readonly instrumentation: HttpInstrumentation) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<{ method: string }>();
    return next.handle().pipe(tap({ error: (error: unknown) => this.record(request, error) }));
  }

  private record(request: { method: string }, error: unknown): void {
    try {
      this.instrumentation.recorder.recordException(request.method, routeTemplateOf(request), error);
    } catch (failure) {
      reportRecordingFailure(failure);
    }
  }
}
