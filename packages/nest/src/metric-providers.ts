import type { FactoryProvider } from '@nestjs/common';
import type {
  GaugeDefinition,
  HistogramDefinition,
  MetricDefinition,
  SummaryDefinition,
} from '@promenade/core';
import type { HttpInstrumentation } from '@promenade/core/adapter';
import type { Counter, Gauge, Histogram, Summary } from 'prom-client';
import {
  type AnyMetric,
  checkMetricDeclaration,
  declareMetric,
  type MetricDeclaration,
  type MetricType,
} from './metric-declarations.js';
import { getMetricToken, PACKAGE_NAME, PROMETHEUS_INSTRUMENTATION } from './tokens.js';

/**
 * The provider of one declared metric, on the token `getMetricToken(name)`. The metric is
 * registered on the module's registry when Nest first needs it, through core's idempotent
 * factories: two modules declaring the same metric share it.
 */
export function metricProvider(declaration: MetricDeclaration): FactoryProvider<AnyMetric> {
  return {
    provide: getMetricToken(declaration.name),
    inject: [PROMETHEUS_INSTRUMENTATION],
    useFactory: (instrumentation: HttpInstrumentation) => declareMetric(instrumentation.metrics, declaration),
  };
}

function checkedProvider<M>(type: MetricType, definition: object): FactoryProvider<M> {
  const declaration = { ...definition, type };
  // Checked where the provider is written, so the mistake points at the module that made it.
  checkMetricDeclaration(declaration, PACKAGE_NAME, type);
  return metricProvider(declaration as MetricDeclaration) as FactoryProvider<M>;
}

export function makeCounterProvider<L extends string = string>(
  definition: Omit<MetricDefinition<L>, 'registry'>,
): FactoryProvider<Counter<L>> {
  return checkedProvider('counter', definition);
}

export function makeGaugeProvider<L extends string = string>(
  definition: Omit<GaugeDefinition<L>, 'registry'>,
): FactoryProvider<Gauge<L>> {
  return checkedProvider('gauge', definition);
}

export function makeHistogramProvider<L extends string = string>(
  definition: Omit<HistogramDefinition<L>, 'registry'>,
): FactoryProvider<Histogram<L>> {
  return checkedProvider('histogram', definition);
}

export function makeSummaryProvider<L extends string = string>(
  definition: Omit<SummaryDefinition<L>, 'registry'>,
): FactoryProvider<Summary<L>> {
  return checkedProvider('summary', definition);
}
