import { Counter, Gauge, Histogram, type Registry, Summary } from 'prom-client';
import { describeValue, PromenadeError } from '../errors.js';
import {
  describeNativeHistogram,
  type NativeHistogramSettings,
} from '../options/native-histogram-options.js';

/** A metric class: prom-client's, or one of core's families (which name their kind). */
export type MetricClass<T extends object = object> = abstract new (...args: never[]) => T;

/** Everything a metric registered under `name` must match to be reused. */
export interface MetricIdentity<T extends object = object> {
  readonly name: string;
  readonly type: MetricClass<T>;
  readonly help: string;
  readonly labelNames: readonly string[];
  /** Compared when given: a definition without buckets takes whatever is registered. */
  readonly buckets?: readonly number[];
  readonly percentiles?: readonly number[];
  /** Compared when given: `false` for a histogram without native buckets. */
  readonly nativeHistogram?: NativeHistogramSettings | false;
  /** Whether a business metric keeps exemplars (prom-client's `enableExemplars`), when asked. */
  readonly exemplars?: boolean;
}

/** Who defines, for the message: the package named first, the option behind a value, a remedy. */
export interface ConflictContext {
  readonly packageName: string;
  /** The option a compared value came from, named beside it: `{ buckets: 'buckets.duration' }`. */
  readonly optionPaths?: Readonly<
    Partial<Record<'buckets' | 'percentiles' | 'nativeHistogram' | 'exemplars', string>>
  >;
  /** Appended after a semicolon, e.g. `choose another "prefix"`. */
  readonly remedy?: string;
}

export interface MetricDifference {
  readonly field:
    | 'type'
    | 'help'
    | 'label set'
    | 'buckets'
    | 'percentiles'
    | 'native histograms'
    | 'exemplars';
  readonly registered: string;
  readonly requested: string;
}

const PROM_CLIENT_KINDS = new Map<unknown, string>([
  [Counter, 'counter'],
  [Gauge, 'gauge'],
  [Histogram, 'histogram'],
  [Summary, 'summary'],
]);

/** What kind of metric a class makes, in the words a message uses. */
export function kindOf(type: unknown): string {
  for (const [metricClass, kind] of PROM_CLIENT_KINDS) {
    if (
      type === metricClass ||
      (typeof type === 'function' && type.prototype instanceof (metricClass as never))
    )
      return kind;
  }
  const named = (type as { kind?: unknown } | undefined)?.kind;
  if (typeof named === 'string') return named;
  const name = (type as { name?: unknown } | undefined)?.name;
  return `unknown kind (${typeof name === 'string' && name ? name : 'no class'})`;
}

function sameList(left: readonly unknown[], right: readonly unknown[]): boolean {
  return left.length === right.length && left.every((value, index) => value === right[index]);
}

/**
 * How `registered` differs from what `wanted` asks for, field by field: nothing when it can be
 * reused. Another kind of metric is reported alone, as its other fields mean something else.
 */
export function metricDifferences(registered: object, wanted: MetricIdentity): MetricDifference[] {
  if (!(registered instanceof wanted.type)) {
    return [{ field: 'type', registered: kindOf(registered.constructor), requested: kindOf(wanted.type) }];
  }
  const found = registered as {
    help?: unknown;
    labelNames?: readonly string[];
    upperBounds?: readonly number[];
    percentiles?: readonly number[];
    nativeHistogram?: NativeHistogramSettings;
    enableExemplars?: boolean;
  };
  const differences: MetricDifference[] = [];
  const differ = (field: MetricDifference['field'], registeredValue: unknown, requested: unknown) =>
    differences.push({
      field,
      registered: describeValue(registeredValue),
      requested: describeValue(requested),
    });
  if (found.help !== wanted.help) differ('help', found.help, wanted.help);
  if (!sameList(found.labelNames ?? [], wanted.labelNames)) {
    differ('label set', found.labelNames ?? [], wanted.labelNames);
  }
  if (wanted.buckets && !sameList(found.upperBounds ?? [], wanted.buckets)) {
    differ('buckets', found.upperBounds, wanted.buckets);
  }
  if (wanted.percentiles && !sameList(found.percentiles ?? [], wanted.percentiles)) {
    differ('percentiles', found.percentiles, wanted.percentiles);
  }
  if (wanted.nativeHistogram !== undefined) {
    const registeredNative = describeNativeHistogram(found.nativeHistogram);
    const requestedNative = describeNativeHistogram(wanted.nativeHistogram || undefined);
    if (registeredNative !== requestedNative) {
      differences.push({
        field: 'native histograms',
        registered: registeredNative,
        requested: requestedNative,
      });
    }
  }
  if (wanted.exemplars !== undefined && (found.enableExemplars === true) !== wanted.exemplars) {
    differ('exemplars', found.enableExemplars === true, wanted.exemplars);
  }
  return differences;
}

function conflictError(
  name: string,
  differences: MetricDifference[],
  context: ConflictContext,
): PromenadeError {
  const listed = differences.map(({ field, registered, requested }) => {
    const path =
      field === 'buckets' || field === 'percentiles' || field === 'exemplars'
        ? context.optionPaths?.[field]
        : field === 'native histograms'
          ? context.optionPaths?.nativeHistogram
          : undefined;
    const source = path ? ` by option "${path}"` : '';
    return `${field} (registered: ${registered}, requested${source}: ${requested})`;
  });
  const remedy = context.remedy ? `; ${context.remedy}` : '';
  return new PromenadeError(
    'ERR_PROMENADE_METRIC_CONFLICT',
    `${context.packageName}: metric "${name}" is already registered and differs in ${listed.join(', ')}${remedy}`,
  );
}

/**
 * The metric registered under `wanted.name` when it is the same metric (kind, help, label set,
 * and buckets or percentiles when asked for), undefined when the name is free. Anything else
 * under the name is an ERR_PROMENADE_METRIC_CONFLICT that lists every difference, registered
 * against requested.
 */
export function reusableMetric<T extends object>(
  registry: Registry,
  wanted: MetricIdentity<T>,
  context: ConflictContext,
): T | undefined {
  const found: unknown = registry.getSingleMetric(wanted.name);
  if (found === undefined) return undefined;
  const differences = metricDifferences(found as object, wanted);
  if (differences.length > 0) throw conflictError(wanted.name, differences, context);
  return found as T;
}

/**
 * Defines a metric, or returns the same one defined earlier on this registry (a second app,
 * a hot reload, a test suite), so defining twice is never "already registered".
 */
export function defineOrReuse<T extends object>(
  registry: Registry,
  wanted: MetricIdentity<T>,
  create: () => T,
  context: ConflictContext,
): T {
  return reusableMetric(registry, wanted, context) ?? create();
}
