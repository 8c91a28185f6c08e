import {
  checkOptions,
  httpOptionShape,
  isBoolean,
  isBuckets,
  type OptionCheck,
  type OptionShape,
  optionError,
} from '@promenade/core/adapter';
import { register as globalRegistry, type Registry } from 'prom-client';
import { DEFAULT_QUERY_BUCKETS, PACKAGE_NAME } from './metric-names.js';
import type { DatabaseMetricsOptions } from './types.js';

/** What every wrapper resolves its options to, once, at creation. */
export interface ResolvedOptions {
  readonly registry: Registry;
  readonly prefix: string;
  readonly buckets: readonly number[];
  readonly maxLabelSets: number;
  readonly alias: string;
  readonly tables: boolean;
  readonly maxTables: number;
}

const LABEL_VALUE_MAX = 128;

/** A label value the user chooses once, such as an alias: short, non-empty. */
const isLabelValue: OptionCheck = (value, { packageName, path }) => {
  if (typeof value !== 'string' || value.length === 0 || value.length > LABEL_VALUE_MAX) {
    throw optionError(
      packageName,
      path,
      `must be a non-empty string of at most ${LABEL_VALUE_MAX} characters`,
      value,
    );
  }
};

const isTableCount: OptionCheck = (value, { packageName, path }) => {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 10_000) {
    throw optionError(packageName, path, 'must be an integer from 1 to 10000', value);
  }
};

const shape: OptionShape = {
  registry: httpOptionShape.registry!,
  prefix: httpOptionShape.prefix!,
  maxLabelSets: httpOptionShape.maxLabelSets!,
  buckets: isBuckets,
  alias: isLabelValue,
  tables: isBoolean,
  maxTables: isTableCount,
};

export function resolveOptions(options: unknown): ResolvedOptions {
  const input = checkOptions(options, shape, PACKAGE_NAME) as DatabaseMetricsOptions;
  return {
    registry: input.registry ?? globalRegistry,
    prefix: input.prefix ?? '',
    buckets: Object.freeze([...(input.buckets ?? DEFAULT_QUERY_BUCKETS)]),
    maxLabelSets: input.maxLabelSets ?? 10_000,
    alias: input.alias ?? 'default',
    tables: input.tables ?? false,
    maxTables: input.maxTables ?? 100,
  };
}
