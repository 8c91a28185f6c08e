import {
  type ConflictContext,
  type LabelSetCap,
  SeriesCounter,
  SeriesHistogram,
} from '@promenade/core/adapter';
import { OVERFLOW_VALUE, PACKAGE_NAME, PRISMA_METRIC_NAMES } from './metric-names.js';
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

const CONTEXT: ConflictContext = { packageName: PACKAGE_NAME, remedy: 'choose another "prefix"' };

/** prisma_label_sets_folded_total{metric}: where every capped family counts its folds. */
function foldCounter(options: ResolvedMetricsOptions): SeriesCounter {
  return SeriesCounter.define(
    {
      name: options.prefix + PRISMA_METRIC_NAMES.folded,
      help: 'Observations whose label set was folded into "<overflow>" because the Prisma metric reached its label-set cap.',
      labelNames: ['metric'],
      registry: options.registry,
    },
    CONTEXT,
  );
}

function capOf(options: ResolvedMetricsOptions, definition: FamilyDefinition): LabelSetCap | undefined {
  if (definition.foldLabel === undefined) return undefined;
  return {
    label: definition.foldLabel,
    foldedValue: OVERFLOW_VALUE,
    maxLabelSets: options.maxLabelSets,
    folds: foldCounter(options),
  };
}

/** A counter family of one (registry, prefix): defined on first use and shared after. */
export function defineCounter(options: ResolvedMetricsOptions, definition: FamilyDefinition): SeriesCounter {
  return SeriesCounter.define(
    {
      name: options.prefix + definition.name,
      help: definition.help,
      labelNames: definition.labelNames,
      registry: options.registry,
      cap: capOf(options, definition),
    },
    CONTEXT,
  );
}

/** A histogram family with `options.buckets`; asking for other buckets on the same name is an error. */
export function defineHistogram(
  options: ResolvedMetricsOptions,
  definition: FamilyDefinition,
): SeriesHistogram {
  return SeriesHistogram.define(
    {
      name: options.prefix + definition.name,
      help: definition.help,
      labelNames: definition.labelNames,
      buckets: options.buckets,
      registry: options.registry,
      cap: capOf(options, definition),
    },
    { ...CONTEXT, optionPaths: { buckets: 'buckets' } },
  );
}
