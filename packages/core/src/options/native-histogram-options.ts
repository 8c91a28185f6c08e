import { optionError } from '../errors.js';
import { checkOptions, isBoolean, isPositiveInteger, type OptionCheck } from './option-rules.js';

/**
 * Native histograms, opt-in: `true` for the defaults, or the settings. Why these defaults:
 * docs/architecture.md, "Native histograms".
 */
export interface NativeHistogramOptions {
  /** Resolution from -4 to 8: each power of two is split into 2^schema buckets. Default: 3 (a bucket spans 9%). */
  schema?: number;
  /** Values whose magnitude is at most this are counted in the zero bucket. Default: 2^-128. */
  zeroThreshold?: number;
  /** Buckets one series may span before its resolution halves. Default: 160. */
  maxBuckets?: number;
  /**
   * Keep the classic buckets beside the native ones, for a server that does not read native
   * histograms. `false`: native only, and text pages show only `+Inf`, `_sum` and `_count`.
   * Default: true.
   */
  classic?: boolean;
}

export interface NativeHistogramSettings {
  readonly schema: number;
  readonly zeroThreshold: number;
  readonly maxBuckets: number;
  readonly classic: boolean;
}

export const DEFAULT_NATIVE_HISTOGRAM: NativeHistogramSettings = Object.freeze({
  schema: 3,
  zeroThreshold: 2 ** -128,
  maxBuckets: 160,
  classic: true,
});

const isSchema: OptionCheck = (value, { packageName, path }) => {
  if (!Number.isInteger(value) || (value as number) < -4 || (value as number) > 8) {
    throw optionError(packageName, path, 'must be an integer from -4 to 8', value);
  }
};

const isZeroThreshold: OptionCheck = (value, { packageName, path }) => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw optionError(packageName, path, 'must be a finite number, 0 or more', value);
  }
};

const shape = {
  schema: isSchema,
  zeroThreshold: isZeroThreshold,
  maxBuckets: isPositiveInteger,
  classic: isBoolean,
};

/** `true`, `false`, or the settings object. */
export const isNativeHistogramOption: OptionCheck = (value, context) => {
  if (typeof value === 'boolean') return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw optionError(context.packageName, context.path, 'must be true, false or an object', value);
  }
  checkOptions(value, shape, context.packageName, context.path);
};

/** The settings in force, or undefined when native histograms are off. Validated already. */
export function resolveNativeHistogram(
  option: boolean | NativeHistogramOptions | undefined,
): NativeHistogramSettings | undefined {
  if (option === undefined || option === false) return undefined;
  if (option === true) return DEFAULT_NATIVE_HISTOGRAM;
  return Object.freeze({
    schema: option.schema ?? DEFAULT_NATIVE_HISTOGRAM.schema,
    zeroThreshold: option.zeroThreshold ?? DEFAULT_NATIVE_HISTOGRAM.zeroThreshold,
    maxBuckets: option.maxBuckets ?? DEFAULT_NATIVE_HISTOGRAM.maxBuckets,
    classic: option.classic ?? DEFAULT_NATIVE_HISTOGRAM.classic,
  });
}

/** How a conflict message shows the settings. */
export function describeNativeHistogram(settings: NativeHistogramSettings | undefined): string {
  if (!settings) return 'off';
  const { schema, zeroThreshold, maxBuckets, classic } = settings;
  return `schema ${schema}, zeroThreshold ${zeroThreshold}, maxBuckets ${maxBuckets}${classic ? ', with classic buckets' : ', native only'}`;
}
