import {
  checkOptions,
  httpOptionShape,
  isBuckets,
  isPlainObject,
  type OptionCheck,
  type OptionShape,
  optionError,
} from '@promenade/core/adapter';
import { register as globalRegistry, type Registry } from 'prom-client';
import { DEFAULT_QUERY_BUCKETS, PACKAGE_NAME } from './metric-names.js';
import type { AdapterMetricsOptions, PrismaMetricsOptions } from './types.js';

/** What every part of the package resolves its options to, once, at creation. */
export interface ResolvedMetricsOptions {
  readonly registry: Registry;
  readonly prefix: string;
  readonly buckets: readonly number[];
  readonly maxLabelSets: number;
}

export const baseShape: OptionShape = {
  registry: httpOptionShape.registry!,
  prefix: httpOptionShape.prefix!,
  maxLabelSets: httpOptionShape.maxLabelSets!,
  buckets: isBuckets,
};

const LABEL_VALUE_MAX = 128;

/** A label value the user chooses once, such as an alias: short, printable, non-empty. */
export const isLabelValue: OptionCheck = (value, { packageName, path }) => {
  if (typeof value !== 'string' || value.length === 0 || value.length > LABEL_VALUE_MAX) {
    throw optionError(
      packageName,
      path,
      `must be a non-empty string of at most ${LABEL_VALUE_MAX} characters`,
      value,
    );
  }
};

const isModels: OptionCheck = (value, { packageName, path }) => {
  const names = Array.isArray(value) ? value : isPlainObject(value) ? Object.values(value) : undefined;
  if (!names)
    throw optionError(packageName, path, 'must be Prisma.ModelName or an array of model names', value);
  for (const name of names) {
    if (typeof name !== 'string' || name.length === 0) {
      throw optionError(packageName, path, 'must hold non-empty model names only', value);
    }
  }
};

const extensionShape: OptionShape = { ...baseShape, models: isModels };
const adapterShape: OptionShape = { ...baseShape, alias: isLabelValue };

function resolveBase(input: AdapterMetricsOptions | PrismaMetricsOptions): ResolvedMetricsOptions {
  return {
    registry: input.registry ?? globalRegistry,
    prefix: input.prefix ?? '',
    buckets: Object.freeze([...(input.buckets ?? DEFAULT_QUERY_BUCKETS)]),
    maxLabelSets: input.maxLabelSets ?? 10_000,
  };
}

export interface ResolvedExtensionOptions extends ResolvedMetricsOptions {
  readonly models: readonly string[] | undefined;
}

export function resolveExtensionOptions(options: unknown): ResolvedExtensionOptions {
  const input = checkOptions(options, extensionShape, PACKAGE_NAME) as PrismaMetricsOptions;
  const models =
    input.models === undefined ? undefined : Object.freeze([...new Set(Object.values(input.models))]);
  return { ...resolveBase(input), models };
}

export interface ResolvedAdapterOptions extends ResolvedMetricsOptions {
  readonly alias: string;
}

export function resolveAdapterOptions(options: unknown): ResolvedAdapterOptions {
  const input = checkOptions(options, adapterShape, PACKAGE_NAME) as AdapterMetricsOptions;
  return { ...resolveBase(input), alias: input.alias ?? 'default' };
}

/** Throws the package's coded error for a required option that is absent. */
export function requireOption(input: Record<string, unknown>, key: string): void {
  if (input[key] === undefined) throw optionError(PACKAGE_NAME, key, 'is required', undefined);
}
