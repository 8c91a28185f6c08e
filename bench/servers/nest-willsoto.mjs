import 'reflect-metadata';
import { Inject, Injectable } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { getToken, makeHistogramProvider, PrometheusModule } from '@willsoto/nestjs-prometheus';
import { tap } from 'rxjs';
import { serveBenchApp } from '../lib/child.mjs';
import { createNestApp, listenNest } from './nest-app.mjs';

const DURATION = 'http_request_duration_seconds';

/**
 * @willsoto/nestjs-prometheus records no HTTP metric by itself: this is the global interceptor
 * its users write to get one, a histogram by method, route template and status.
 */
class HttpMetricsInterceptor {
  constructor(histogram) {
    this.histogram = histogram;
  }

  intercept(context, next) {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest();
    const response = http.getResponse();
    const stopTimer = this.histogram.startTimer();
    const labels = () => ({ method: request.method, route: request.route?.path ?? 'unknown' });
    return next.handle().pipe(
      tap({
        next: () => stopTimer({ ...labels(), status_code: response.statusCode }),
        error: (error) => stopTimer({ ...labels(), status_code: error?.getStatus?.() ?? 500 }),
      }),
    );
  }
}
Injectable()(HttpMetricsInterceptor);
Inject(getToken(DURATION))(HttpMetricsInterceptor, undefined, 0);

serveBenchApp(async (config) =>
  listenNest(
    await createNestApp(config, {
      // register() serves /metrics and collects the process metrics by default.
      imports: [
        PrometheusModule.register(
          config.processMetrics === false ? { defaultMetrics: { enabled: false } } : undefined,
        ),
      ],
      providers: [
        makeHistogramProvider({
          name: DURATION,
          help: 'Duration of HTTP requests in seconds.',
          labelNames: ['method', 'route', 'status_code'],
        }),
        { provide: APP_INTERCEPTOR, useClass: HttpMetricsInterceptor },
      ],
    }),
  ),
);
