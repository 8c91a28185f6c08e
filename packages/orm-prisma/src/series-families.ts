import { PromenadeError } from '@promenade/core';
import { SeriesCounter, SeriesHistogram } from '@promenade/core/adapter';
import { OVERFLOW_VALUE, PACKAGE_NAME } from './metric-names.js';
import type { ResolvedMetricsOptions } from './options.js';

export interface FamilyDefinition {
  /** The name before the user's prefix. */
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  /**
   * The label folded into `<overflow>` once the family holds `maxLabelSets` label sets.
   * Absent when the family's label sets come from a family that is capped already, or from
   * the code alone (vendor, alias, adapter method): such a family never needs to fold.
   */
  readonly foldLabel?: string;
}

function conflict(message: string): PromenadeError {
  return new PromenadeError('ERR_PROMENADE_METRIC_CONFLICT', `${PACKAGE_NAME}: ${message}`);
}

/**
 * The family registered under this name by an earlier definition (another client, another
 * adapter, a hot reload), or undefined when the name is free. Any other metric under the name
 * is a conflict: Promenade's series cannot record into it.
 */
function existing<T extends SeriesCounter | SeriesHistogram>(
  options: ResolvedMetricsOptions,
  name: string,
  type: abstract new (...args: never[]) => T,
  labelNames: readonly string[],
): T | undefined {
  const found: unknown = options.registry.getSingleMetric(name);
  if (found === undefined) return undefined;
  const sameLabels =
    found instanceof type &&
    found.labelNames.length === labelNames.length &&
    found.labelNames.every((label, index) => label === labelNames[index]);
  if (!sameLabels) {
    throw conflict(
      `metric "${name}" is already registered by something other than this package; choose another "prefix"`,
    );
  }
  return found as T;
}

function capOf(options: ResolvedMetricsOptions, definition: FamilyDefinition) {
  return {
    foldLabel: definition.foldLabel ?? definition.labelNames[0] ?? '',
    foldedValue: OVERFLOW_VALUE,
    maxSeries: definition.foldLabel ? options.maxLabelSets : Number.POSITIVE_INFINITY,
  };
}

/** A counter family of one (registry, prefix): defined on first use and shared after. */
export function defineCounter(options: ResolvedMetricsOptions, definition: FamilyDefinition): SeriesCounter {
  const name = options.prefix + definition.name;
  return (
    existing(options, name, SeriesCounter, definition.labelNames) ??
    new SeriesCounter({
      name,
      help: definition.help,
      labelNames: definition.labelNames,
      registry: options.registry,
      ...capOf(options, definition),
    })
  );
}

/** A histogram family with `options.buckets`; asking for other buckets on the same name is an error. */
export function defineHistogram(
  options: ResolvedMetricsOptions,
  definition: FamilyDefinition,
): SeriesHistogram {
  const name = options.prefix + definition.name;
  const found = existing(options, name, SeriesHistogram, definition.labelNames);
  if (!found) {
    return new SeriesHistogram({
      name,
      help: definition.help,
      labelNames: definition.labelNames,
      buckets: options.buckets,
      registry: options.registry,
      ...capOf(options, definition),
    });
  }
  const registered = found.upperBounds;
  const wanted = options.buckets;
  if (registered.length !== wanted.length || registered.some((bound, index) => bound !== wanted[index])) {
    throw conflict(
      `option "buckets" differs from the buckets "${name}" was already registered with on this registry (received ${JSON.stringify(wanted)}, registered ${JSON.stringify(registered)})`,
    );
  }
  return found;
}
