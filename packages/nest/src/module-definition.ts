import { ConfigurableModuleBuilder, type DynamicModule, type FactoryProvider } from '@nestjs/common';
import { createModuleInstrumentation } from './instrumentation.js';
import { metricProvider } from './metric-providers.js';
import type { PrometheusModuleExtras, PrometheusModuleOptions } from './options.js';
import {
  PROMETHEUS_COUNTS_EXCEPTIONS,
  PROMETHEUS_INSTRUMENTATION,
  PROMETHEUS_MODULE_OPTIONS,
} from './tokens.js';

// Providers are only made for declarations that have a name: the instrumentation factory,
// which they all depend on, reports a malformed one with its option path at start-up.
function declaredProviders(metrics: unknown): FactoryProvider[] {
  if (!Array.isArray(metrics)) return [];
  return metrics
    .filter((declaration) => typeof declaration?.name === 'string')
    .map((declaration) => metricProvider(declaration));
}

function completeDefinition(definition: DynamicModule, extras: PrometheusModuleExtras): DynamicModule {
  const metricProviders = declaredProviders(extras.metrics);
  return {
    ...definition,
    global: true,
    providers: [
      ...(definition.providers ?? []),
      {
        provide: PROMETHEUS_INSTRUMENTATION,
        inject: [PROMETHEUS_MODULE_OPTIONS],
        useFactory: (options: unknown) => createModuleInstrumentation(options, extras),
      },
      { provide: PROMETHEUS_COUNTS_EXCEPTIONS, useValue: extras.exceptions !== false },
      ...metricProviders,
    ],
    exports: [PROMETHEUS_INSTRUMENTATION, ...metricProviders.map((provider) => provider.provide)],
  };
}

export const { ConfigurableModuleClass, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<PrometheusModuleOptions>({
    optionsInjectionToken: PROMETHEUS_MODULE_OPTIONS,
  })
    .setClassMethodName('forRoot')
    .setExtras<PrometheusModuleExtras>({ metrics: undefined, exceptions: undefined }, completeDefinition)
    .build();
