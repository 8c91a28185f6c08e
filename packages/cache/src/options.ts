import {
  checkOptions,
  httpOptionShape,
  isBoolean,
  isBuckets,
  isFunction,
  type OptionCheck,
  type OptionShape,
  optionError,
} from '@promenade/core/adapter';
import { register as globalRegistry, type Registry } from 'prom-client';
import { DEFAULT_CACHE_BUCKETS, PACKAGE_NAME } from './schema/metric-names.js';
import type { CacheMetricsOptions, KeyvMetricsOptions } from './types.js';

/** What every instrumentation resolves its options to, once, when it is created. */
export interface ResolvedCacheOptions {
  readonly registry: Registry;
  readonly prefix: string;
  readonly buckets: readonly number[];
  /** The `cache` label. */
  readonly name: string;
  readonly logFailure: (message: string, error: unknown) => void;
}

/** Keyv's and cache-manager's: whether every call is timed; undefined leaves it to the store. */
export interface ResolvedKeyvOptions extends ResolvedCacheOptions {
  readonly latency: boolean | undefined;
}

const NAME_MAX = 64;
const NAME_PATTERN = /^[A-Za-z0-9_.:-]+$/;

/** A cache's name is a label value chosen once in code: short, and of a fixed alphabet. */
const isCacheName: OptionCheck = (value, { packageName, path }) => {
  if (typeof value !== 'string' || value.length > NAME_MAX || !NAME_PATTERN.test(value)) {
    throw optionError(packageName, path, `must be 1 to ${NAME_MAX} letters, digits or "_.:-"`, value);
  }
};

const shape: OptionShape = {
  registry: httpOptionShape.registry!,
  prefix: httpOptionShape.prefix!,
  buckets: isBuckets,
  name: isCacheName,
  logFailure: isFunction,
};

const keyvShape: OptionShape = { ...shape, latency: isBoolean };

const logToConsole = (message: string, error: unknown) => console.error(`${PACKAGE_NAME}: ${message}`, error);

export function resolveCacheOptions(options: unknown): ResolvedCacheOptions {
  checkOptions(options, shape, PACKAGE_NAME);
  return resolved(options as CacheMetricsOptions | undefined);
}

export function resolveKeyvOptions(options: unknown): ResolvedKeyvOptions {
  checkOptions(options, keyvShape, PACKAGE_NAME);
  const input = options as KeyvMetricsOptions | undefined;
  return { ...resolved(input), latency: input?.latency };
}

function resolved(input: CacheMetricsOptions = {}): ResolvedCacheOptions {
  return {
    registry: input.registry ?? globalRegistry,
    prefix: input.prefix ?? '',
    buckets: Object.freeze([...(input.buckets ?? DEFAULT_CACHE_BUCKETS)]),
    name: input.name ?? 'default',
    logFailure: input.logFailure ?? logToConsole,
  };
}

/** The coded error for a first argument that is not the client the function instruments. */
export function notA(what: string, value: unknown): Error {
  return optionError(PACKAGE_NAME, 'client', `must be ${what}`, value);
}
