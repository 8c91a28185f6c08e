import { type DynamicModule, Inject, Module, type NestModule, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { HttpInstrumentation } from '@promenade/core/adapter';
import type { Subscription } from 'rxjs';
import { captureRouteExceptions } from './exception-capture.js';
import { instrumentHttpAdapter } from './http-adapter-hooks.js';
import { ConfigurableModuleClass, OPTIONS_TYPE } from './module-definition.js';
import { PROMETHEUS_COUNTS_EXCEPTIONS, PROMETHEUS_INSTRUMENTATION } from './tokens.js';

/**
 * Prometheus metrics for a Nest application: HTTP metrics for every request, the protected
 * `/metrics` route and injectable business metrics. Import it once, in the root module, with
 * `forRoot(options)` or `forRootAsync({ imports, inject, useFactory })`; it is global.
 */
@Module({})
export class PrometheusModule extends ConfigurableModuleClass implements NestModule, OnModuleDestroy {
  private installFailure: unknown;
  private readonly subscription: Subscription;

  constructor(
    @Inject(HttpAdapterHost) adapterHost: HttpAdapterHost,
    @Inject(PROMETHEUS_INSTRUMENTATION) instrumentation: HttpInstrumentation,
    @Inject(PROMETHEUS_COUNTS_EXCEPTIONS) private readonly countsExceptions: boolean,
  ) {
    super();
    // The hooks go on the adapter the moment Nest sets it (NestFactory.create(), or a testing
    // module's createNestApplication()), which is before init() adds the body parsers,
    // middleware, routes and not-found handler: so they see every request. A standalone
    // application context has no adapter, and gets business metrics only.
    this.subscription = adapterHost.init$.subscribe(() => {
      try {
        instrumentHttpAdapter(adapterHost.httpAdapter, instrumentation, countsExceptions);
      } catch (error) {
        // Thrown from here it would escape rxjs as an uncaught error; configure() rethrows
        // it inside init(), where it fails the start-up as it should.
        this.installFailure = error;
      }
    });
  }

  /** `forRoot()` with no argument: every option has a default. */
  static override forRoot(options: typeof OPTIONS_TYPE = {}): DynamicModule {
    // `super`, not the builder's class: its forRoot uses `this` as the module of the definition.
    // biome-ignore lint/complexity/noThisInStatic: see above
    return super.forRoot(options);
  }

  // Nest awaits configure() during init(), before the application takes requests.
  async configure(): Promise<void> {
    if (this.installFailure !== undefined) throw this.installFailure;
    if (this.countsExceptions) await captureRouteExceptions();
  }

  onModuleDestroy(): void {
    this.subscription.unsubscribe();
  }
}
