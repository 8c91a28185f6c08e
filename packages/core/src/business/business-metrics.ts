import { Counter, Gauge, register as globalRegistry, Histogram, type Registry, Summary } from 'prom-client';
import { AGGREGATION_KEY, AGGREGATIONS, type Aggregation } from '../cluster/protocol.js';
import { optionError } from '../errors.js';
import { trackSeriesStarts } from '../exposition/series-starts.js';
import { defineOrReuse, type MetricClass } from '../families/registered-metric.js';
import {
  isNativeHistogramOption,
  type NativeHistogramOptions,
  resolveNativeHistogram,
} from '../options/native-histogram-options.js';
import {
  checkOptions,
  isBoolean,
  isBuckets,
  isFunction,
  isLabelNames,
  isMetricName,
  isNonEmptyString,
  isPlainObject,
  isPositiveInteger,
  type OptionCheck,
  type OptionShape,
} from '../options/option-rules.js';
import { NativeHistogram } from './native-histogram.js';

const PACKAGE = '@promenade/core';

export interface MetricDefinition<L extends string = string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
  /** Defaults to prom-client's global registry, so metrics show up beside the HTTP ones. */
  registry?: Registry;
}

/** A counter's definition: the metric's, and whether it keeps exemplars. */
export interface CounterDefinition<L extends string = string> extends MetricDefinition<L> {
  /**
   * Keep an exemplar with an increment: then `inc({ labels, value, exemplarLabels })` is the
   * call (prom-client's `enableExemplars`), and the newest exemplar per series goes out on
   * OpenMetrics and protobuf pages. Default: false.
   */
  exemplars?: boolean;
}

export interface HistogramDefinition<L extends string = string> extends MetricDefinition<L> {
  buckets?: readonly number[];
  /**
   * Keep an exemplar with an observation: then `observe({ labels, value, exemplarLabels })` is
   * the call (prom-client's `enableExemplars`), and the newest exemplar per bucket goes out on
   * OpenMetrics and protobuf pages. Default: false.
   */
  exemplars?: boolean;
  /**
   * Native buckets beside the classic ones (or instead of them with `classic: false`): `true`
   * for the defaults, or the settings. Default: off.
   */
  nativeHistogram?: boolean | NativeHistogramOptions;
}

export interface SummaryDefinition<L extends string = string> extends MetricDefinition<L> {
  percentiles?: readonly number[];
  maxAgeSeconds?: number;
  ageBuckets?: number;
}

export interface GaugeDefinition<L extends string = string> extends MetricDefinition<L> {
  /** Called at scrape time to set the gauge, for exporter-style values. */
  collect?: (this: Gauge<L>) => void | Promise<void>;
  /**
   * How the cluster primary combines the workers' values: `sum`, `max`, `min`, `average`,
   * `mostRecent`, `perWorker` (a `worker` label each) or `omit`. Default: `mostRecent` for a
   * gauge with `collect` (every worker reads the same shared state), else `sum`.
   */
  aggregate?: Aggregation;
}

export type MetricKind = 'counter' | 'gauge' | 'histogram' | 'summary';
type Kind = MetricKind;

/** Quantiles as Prometheus reads them: from 0 to 1, in increasing order. */
const isQuantiles: OptionCheck = (value, context) => {
  isBuckets(value, context);
  const outside = (value as number[]).findIndex((quantile) => quantile < 0 || quantile > 1);
  if (outside >= 0) {
    throw optionError(
      context.packageName,
      context.path,
      `must hold quantiles from 0 to 1 only (index ${outside})`,
      value,
    );
  }
};

/** Label names, less the one a histogram or summary writes on its own samples. */
function labelNamesWithout(reserved: string, kind: Kind): OptionCheck {
  return (value, context) => {
    isLabelNames(value, context);
    if ((value as string[]).includes(reserved)) {
      throw optionError(
        context.packageName,
        context.path,
        `must not hold "${reserved}", the label a ${kind} writes itself`,
        value,
      );
    }
  };
}

const isAggregation: OptionCheck = (value, context) => {
  if (!AGGREGATIONS.includes(value as Aggregation)) {
    throw optionError(context.packageName, context.path, `must be one of ${AGGREGATIONS.join(', ')}`, value);
  }
};

const baseShape: OptionShape = {
  name: isMetricName,
  help: isNonEmptyString,
  labelNames: isLabelNames,
  registry: () => {},
};
/** The options each kind of definition takes and their rules, for adapters that declare metrics. */
export const METRIC_DEFINITION_SHAPES: Readonly<Record<MetricKind, OptionShape>> = {
  counter: { ...baseShape, exemplars: isBoolean },
  gauge: { ...baseShape, collect: isFunction, aggregate: isAggregation },
  histogram: {
    ...baseShape,
    labelNames: labelNamesWithout('le', 'histogram'),
    buckets: isBuckets,
    nativeHistogram: isNativeHistogramOption,
    exemplars: isBoolean,
  },
  summary: {
    ...baseShape,
    labelNames: labelNamesWithout('quantile', 'summary'),
    percentiles: isQuantiles,
    maxAgeSeconds: isPositiveInteger,
    ageBuckets: isPositiveInteger,
  },
};
const constructors = { counter: Counter, gauge: Gauge, histogram: Histogram, summary: Summary };

/**
 * prom-client slides a summary's window only when it has both an age and a bucket count, and
 * silently keeps every observation forever when one is missing. `path` is the definition's.
 */
export function checkSummaryWindow(
  definition: Record<string, unknown>,
  packageName: string,
  path: string,
): void {
  const hasAge = definition.maxAgeSeconds !== undefined;
  if (hasAge === (definition.ageBuckets !== undefined)) return;
  const [missing, given] = hasAge ? ['ageBuckets', 'maxAgeSeconds'] : ['maxAgeSeconds', 'ageBuckets'];
  throw optionError(packageName, `${path}.${missing}`, `is required when "${given}" is set`, undefined);
}

/**
 * Returns the metric registered under `definition.name`, or registers it. Defining the same
 * metric again (hot reload, tests, two modules) is not an error; redefining the name with
 * another type, help, label set, buckets or percentiles is.
 */
function define(kind: Kind, definition: MetricDefinition & Record<string, unknown>): unknown {
  if (!isPlainObject(definition))
    throw optionError(PACKAGE, kind, 'must be a metric definition object', definition);
  checkOptions(definition, METRIC_DEFINITION_SHAPES[kind], PACKAGE, kind);
  for (const required of ['name', 'help'] as const) {
    if (definition[required] === undefined)
      throw optionError(PACKAGE, `${kind}.${required}`, 'is required', undefined);
  }
  if (kind === 'summary') checkSummaryWindow(definition, PACKAGE, kind);
  const registry = definition.registry ?? globalRegistry;
  const {
    registry: _registry,
    labelNames,
    buckets: givenBuckets,
    percentiles,
    aggregate,
    nativeHistogram: nativeOption,
    exemplars,
    ...rest
  } = definition;
  const native = resolveNativeHistogram(nativeOption as boolean | NativeHistogramOptions | undefined);
  // Native only: no classic bound, so prom-client counts every value in +Inf.
  const buckets = native && !native.classic ? [] : givenBuckets;
  const identity = {
    name: definition.name,
    type: constructors[kind] as MetricClass,
    help: definition.help,
    labelNames: labelNames ?? [],
    buckets: buckets as readonly number[] | undefined,
    percentiles: percentiles as readonly number[] | undefined,
    nativeHistogram: kind === 'histogram' ? (native ?? (false as const)) : undefined,
    exemplars: kind === 'histogram' || kind === 'counter' ? exemplars === true : undefined,
  };
  return defineOrReuse(
    registry,
    identity,
    () => {
      // prom-client keeps exemplars only for a metric registered on an OpenMetrics registry,
      // as its own page writer would drop them otherwise. Core writes every page itself, so a
      // metric with exemplars is registered after it is made, past that check.
      const config: Record<string, unknown> = {
        ...rest,
        registers: exemplars === true ? [] : [registry],
        labelNames: [...identity.labelNames],
      };
      if (buckets) config.buckets = [...(buckets as number[])];
      if (percentiles) config.percentiles = [...(percentiles as number[])];
      if (exemplars === true) config.enableExemplars = true;
      const metric = native
        ? new NativeHistogram(config as never, native)
        : new constructors[kind](config as never);
      // A gauge goes up and down: it has no start.
      if (kind !== 'gauge') trackSeriesStarts(metric, identity.labelNames);
      if (exemplars === true) registry.registerMetric(metric as never);
      if (aggregate !== undefined) Object.defineProperty(metric, AGGREGATION_KEY, { value: aggregate });
      return metric;
    },
    {
      packageName: PACKAGE,
      optionPaths: { nativeHistogram: `${kind}.nativeHistogram`, exemplars: `${kind}.exemplars` },
    },
  );
}

export function counter<L extends string = string>(definition: CounterDefinition<L>): Counter<L> {
  return define('counter', definition as never) as Counter<L>;
}

export function gauge<L extends string = string>(definition: GaugeDefinition<L>): Gauge<L> {
  return define('gauge', definition as never) as Gauge<L>;
}

export function histogram<L extends string = string>(definition: HistogramDefinition<L>): Histogram<L> {
  return define('histogram', definition as never) as Histogram<L>;
}

export function summary<L extends string = string>(definition: SummaryDefinition<L>): Summary<L> {
  return define('summary', definition as never) as Summary<L>;
}

/** The four factories bound to one registry, as adapters hand them to applications. */
export interface MetricFactories {
  readonly registry: Registry;
  counter<L extends string = string>(definition: Omit<CounterDefinition<L>, 'registry'>): Counter<L>;
  gauge<L extends string = string>(definition: Omit<GaugeDefinition<L>, 'registry'>): Gauge<L>;
  histogram<L extends string = string>(definition: Omit<HistogramDefinition<L>, 'registry'>): Histogram<L>;
  summary<L extends string = string>(definition: Omit<SummaryDefinition<L>, 'registry'>): Summary<L>;
}

export function createMetricFactories(registry: Registry = globalRegistry): MetricFactories {
  return {
    registry,
    counter: (definition) => counter({ ...definition, registry }),
    gauge: (definition) => gauge({ ...definition, registry }),
    histogram: (definition) => histogram({ ...definition, registry }),
    summary: (definition) => summary({ ...definition, registry }),
  };
}
