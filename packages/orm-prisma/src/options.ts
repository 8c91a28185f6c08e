import {
  checkOptions,
  httpOptionShape,
  isBoolean,
  isBuckets,
  isPlainObject,
  type OptionCheck,
  type OptionShape,
  optionError,
} from '@promenade/core/adapter';
import type { DatabaseMetricsOptions } from '@promenade/db';
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

/** The adapter's `models`: Prisma.ModelName, a list of names, or a record of model -> table. */
const isModelTables: OptionCheck = (value, context) => {
  isModels(value, context);
  if (Array.isArray(value)) return;
  for (const model of Object.keys(value as object)) {
    if (model.length === 0) {
      throw optionError(context.packageName, context.path, 'must hold non-empty model names only', value);
    }
  }
};

const extensionShape: OptionShape = { ...baseShape, models: isModels, rows: isBoolean };
const adapterShape: OptionShape = {
  ...baseShape,
  alias: isLabelValue,
  tables: isBoolean,
  models: isModelTables,
};

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
  readonly rows: boolean;
}

export function resolveExtensionOptions(options: unknown): ResolvedExtensionOptions {
  const input = checkOptions(options, extensionShape, PACKAGE_NAME) as PrismaMetricsOptions;
  const models =
    input.models === undefined ? undefined : Object.freeze([...new Set(Object.values(input.models))]);
  return { ...resolveBase(input), models, rows: input.rows ?? true };
}

export interface ResolvedAdapterOptions extends ResolvedMetricsOptions {
  /** What @promenade/db's schema is recorded with: the same registry, prefix, buckets and cap. */
  readonly database: DatabaseMetricsOptions;
  /** Models whose rows are counted at the adapter: their names, or model -> table. */
  readonly models: readonly string[] | Readonly<Record<string, string>> | undefined;
}

export function resolveAdapterOptions(options: unknown): ResolvedAdapterOptions {
  const input = checkOptions(options, adapterShape, PACKAGE_NAME) as AdapterMetricsOptions;
  const base = resolveBase(input);
  return {
    ...base,
    database: {
      registry: base.registry,
      prefix: base.prefix,
      buckets: base.buckets,
      maxLabelSets: base.maxLabelSets,
      alias: input.alias ?? 'default',
      tables: input.tables ?? false,
    },
    models:
      input.models === undefined
        ? undefined
        : Object.freeze(Array.isArray(input.models) ? [...input.models] : { ...input.models }),
  };
}

/** Throws the package's coded error for a required option that is absent. */
export function requireOption(input: Record<string, unknown>, key: string): void {
  if (input[key] === undefined) throw optionError(PACKAGE_NAME, key, 'is required', undefined);
}
