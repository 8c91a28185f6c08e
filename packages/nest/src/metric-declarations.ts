import {
  type GaugeDefinition,
  type HistogramDefinition,
  type MetricDefinition,
  type MetricFactories,
  type SummaryDefinition,
} from '@promenade/core';
import {
  checkOptions,
  checkSummaryWindow,
  isPlainObject,
  METRIC_DEFINITION_SHAPES,
  type OptionCheck,
  type OptionShape,
  optionError,
} from '@promenade/core/adapter';
import type { Counter, Gauge, Histogram, Summary } from 'prom-client';

/** A business metric declared in the module options; the module's registry is implied. */
export type MetricDeclaration =
  | ({ type: 'counter' } & Omit<MetricDefinition, 'registry'>)
  | ({ type: 'gauge' } & Omit<GaugeDefinition, 'registry'>)
  | ({ type: 'histogram' } & Omit<HistogramDefinition, 'registry'>)
  | ({ type: 'summary' } & Omit<SummaryDefinition, 'registry'>);

export type MetricType = MetricDeclaration['type'];

export type AnyMetric = Counter | Gauge | Histogram | Summary;

const TYPES = Object.keys(METRIC_DEFINITION_SHAPES) as MetricType[];

/** Core's rules for a kind, with `type` in place of `registry` (the module's is implied). */
function declarationShape(type: MetricType): OptionShape {
  const shape: Record<string, OptionCheck> = { ...METRIC_DEFINITION_SHAPES[type], type: () => {} };
  delete shape.registry;
  return shape;
}

const shapes = Object.fromEntries(TYPES.map((type) => [type, declarationShape(type)])) as Readonly<
  Record<MetricType, OptionShape>
>;

/**
 * Checks one declaration with the package's name and the declaration's own path
 * (`metrics[2].help`), so a mistake reads the same as any other option error.
 */
export function checkMetricDeclaration(declaration: unknown, packageName: string, path: string): void {
  if (!isPlainObject(declaration))
    throw optionError(packageName, path, 'must be a metric declaration object', declaration);
  const type = declaration.type as MetricType;
  if (!TYPES.includes(type)) {
    throw optionError(
      packageName,
      `${path}.type`,
      `must be one of ${TYPES.map((t) => `"${t}"`).join(', ')}`,
      type,
    );
  }
  checkOptions(declaration, shapes[type], packageName, path);
  if (type === 'summary') checkSummaryWindow(declaration, packageName, path);
  for (const required of ['name', 'help'] as const) {
    if (declaration[required] === undefined)
      throw optionError(packageName, `${path}.${required}`, 'is required', undefined);
  }
}

/** The `metrics` option: validated in the same pass as core's options (an `extraShape` entry). */
export const isMetricDeclarations: OptionCheck = (value, { packageName, path }) => {
  if (!Array.isArray(value))
    throw optionError(packageName, path, 'must be an array of metric declarations', value);
  for (const [index, declaration] of value.entries()) {
    checkMetricDeclaration(declaration, packageName, `${path}[${index}]`);
  }
};

/** Registers (or finds: core's factories are idempotent) the declared metric. */
export function declareMetric(factories: MetricFactories, declaration: MetricDeclaration): AnyMetric {
  const { type, ...definition } = declaration;
  return factories[type](definition as never);
}
