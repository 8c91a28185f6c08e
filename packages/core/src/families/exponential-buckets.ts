import type { BucketSpan, NativeBuckets } from '../exposition/exposed-family.js';

/**
 * The sparse exponential buckets of one native histogram series, as Prometheus defines them: at
 * schema `s` the bucket of index `k` holds the values in (2^((k-1)/2^s), 2^(k/2^s)], one set of
 * buckets for positive values and one for negative ones (by absolute value), and a zero bucket for
 * |v| <= zeroThreshold. Why a window rather than a map, and the bound: docs/architecture.md,
 * "Native histograms".
 */

export const MIN_SCHEMA = -4;
export const MAX_SCHEMA = 8;
/** client_golang's default zero threshold: 2^-128. */
export const DEFAULT_ZERO_THRESHOLD = 2 ** -128;

export interface ExponentialBucketsSettings {
  /** Resolution, -4..8: each power of two is split into 2^schema buckets. */
  readonly schema: number;
  readonly zeroThreshold: number;
  /** Buckets a series may span (positive and negative together) before its resolution halves. */
  readonly maxBuckets: number;
}

// The exponent and mantissa of a double, read from its bits (frexp): one shared scratch word.
const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const TWO_TO_64 = 2 ** 64;
/** The smallest normal double: below it the exponent field does not say the magnitude. */
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * How a positive schema places a fraction (a mantissa in [0.5, 1)) among its 2^schema buckets in
 * one table read and one comparison. `bounds` holds the buckets' upper bounds as fractions,
 * 2^(j/2^schema) / 2, each the largest double not above the true value (Math.pow is an ulp off
 * either way for some), so that a value is at most a bound exactly when it is at most the true
 * one; a last bound of 1 is above every fraction. `firstBucket[m]` is the bucket of the lowest
 * fraction whose top `schema + 1` mantissa bits read m. Those fractions span 2^-(schema + 2),
 * less than the gap between two bounds (at least ln 2 / 2^(schema + 1)), so at most one bound
 * falls among them: the fraction is in that first bucket or the next, and one comparison with
 * the first bucket's bound says which. `entries[m]` packs the same for the observation's fast
 * path: the first bucket (bits 21 and up) and the top 20 mantissa bits of the bound among those
 * fractions (bits 0 to 20; 2^20, above any, when none is), so that it compares integers from
 * the double's high word alone, unless they are equal.
 */
interface FineSchema {
  readonly bounds: Float64Array;
  readonly firstBucket: Uint16Array;
  readonly entries: Int32Array;
  /** The bits of the double's high word below the top `schema + 1` of its mantissa. */
  readonly shift: number;
  /** 2^schema: the buckets of one power of two. */
  readonly perPowerOfTwo: number;
}

const fineSchemas: (FineSchema | undefined)[] = [];
/** An entry's split when no bound falls among its fractions: above every 20-bit mantissa. */
const NO_SPLIT = 0x100000;
/** What a series at schema 0 or below holds in place of a lookup: its fast path is never taken. */
const NO_FINE_SCHEMA: FineSchema = {
  bounds: new Float64Array(0),
  firstBucket: new Uint16Array(0),
  entries: new Int32Array(0),
  shift: 0,
  perPowerOfTwo: 0,
};

/** The lookup of a positive schema, built on first use and shared. */
function fineSchema(schema: number): FineSchema {
  const known = fineSchemas[schema];
  if (known !== undefined) return known;
  const n = 1 << schema;
  const bounds = new Float64Array(n + 1);
  for (let j = 0; j < n; j++) bounds[j] = powerOfTwoRootRoundedDown(j, n) / 2;
  bounds[n] = 1;
  const topBits = schema + 1;
  const firstBucket = new Uint16Array(1 << topBits);
  let bucket = 0;
  for (let m = 0; m < firstBucket.length; m++) {
    const lowest = 0.5 + m * 2 ** -(topBits + 1);
    while (bounds[bucket]! < lowest) bucket++;
    firstBucket[m] = bucket;
  }
  const entries = new Int32Array(firstBucket.length);
  for (let m = 0; m < entries.length; m++) {
    const first = firstBucket[m]!;
    const next = 0.5 + (m + 1) * 2 ** -(topBits + 1);
    let split = NO_SPLIT;
    if (bounds[first]! < next) {
      scratch[0] = bounds[first]!;
      split = words[HIGH]! & 0x000fffff;
    }
    entries[m] = (first << 21) | split;
  }
  const lookup = { bounds, firstBucket, entries, shift: 20 - topBits, perPowerOfTwo: n };
  fineSchemas[schema] = lookup;
  return lookup;
}

/** 2^(j/n) for 0 <= j < n, rounded down: the mantissa M of M·2^-52 checked exactly. */
function powerOfTwoRootRoundedDown(j: number, n: number): number {
  const bigN = BigInt(n);
  let mantissa = BigInt(Math.floor(2 ** (j / n) * 2 ** 52));
  // M is right when M^n <= 2^(j + 52n) < (M+1)^n, that is M·2^-52 <= 2^(j/n) < (M+1)·2^-52.
  const target = 1n << BigInt(j + 52 * n);
  while ((mantissa + 1n) ** bigN <= target) mantissa += 1n;
  while (mantissa ** bigN > target) mantissa -= 1n;
  return Number(mantissa) * 2 ** -52;
}

/**
 * The bucket index of a positive magnitude at `schema`, ±Infinity one past the largest double's.
 * NaN has none: callers leave it out of the buckets.
 */
export function bucketIndex(magnitude: number, schema: number): number {
  return schema > 0 ? fineBucketIndex(magnitude, fineSchema(schema)) : coarseBucketIndex(magnitude, schema);
}

/** bucketIndex at a positive schema, through its lookup. */
function fineBucketIndex(magnitude: number, lookup: FineSchema): number {
  let value = magnitude;
  let past = 0;
  if (value === Number.POSITIVE_INFINITY) {
    value = Number.MAX_VALUE;
    past = 1;
  }
  let shift = 0;
  // A subnormal has no implicit leading bit: scale it up, and the exponent back down.
  if (value < MIN_NORMAL) {
    value *= TWO_TO_64;
    shift = 64;
  }
  scratch[0] = value;
  const high = words[HIGH]!;
  // frexp: value = fraction · 2^exponent with the fraction in [0.5, 1).
  const exponent = ((high >>> 20) & 0x7ff) - 1022 - shift;
  let bucket = lookup.firstBucket[(high & 0x000fffff) >>> lookup.shift]!;
  words[HIGH] = (high & 0x800fffff) | 0x3fe00000;
  if (scratch[0]! > lookup.bounds[bucket]!) bucket++;
  return bucket + (exponent - 1) * lookup.perPowerOfTwo + past;
}

/** bucketIndex at schema 0 or below, where a bucket spans one or more powers of two. */
function coarseBucketIndex(magnitude: number, schema: number): number {
  let value = magnitude;
  let past = 0;
  if (value === Number.POSITIVE_INFINITY) {
    value = Number.MAX_VALUE;
    past = 1;
  }
  let shift = 0;
  if (value < MIN_NORMAL) {
    value *= TWO_TO_64;
    shift = 64;
  }
  scratch[0] = value;
  const high = words[HIGH]!;
  const exponent = ((high >>> 20) & 0x7ff) - 1022 - shift;
  // A power of two (fraction exactly 0.5) closes the bucket below its exponent's.
  const powerOfTwo = (high & 0x000fffff) === 0 && words[1 - HIGH] === 0;
  const key = powerOfTwo ? exponent - 1 : exponent;
  const width = -schema;
  return ((key + (1 << width) - 1) >> width) + past;
}

/**
 * The counts of one sign's buckets: a dense window of slots from `offset` on, grown on demand,
 * never wider than the bound lets the series span. An observation in the window is one addition.
 */
class BucketWindow {
  counts: Float64Array = new Float64Array(0);
  offset = 0;

  /** The lowest and highest indexes that hold a count, or undefined when none does. */
  populated(): [number, number] | undefined {
    const { counts } = this;
    let low = 0;
    while (low < counts.length && counts[low] === 0) low++;
    if (low === counts.length) return undefined;
    let high = counts.length - 1;
    while (counts[high] === 0) high--;
    return [low + this.offset, high + this.offset];
  }

  /** Makes room for [low, high], `capacity` slots wide, keeping the counts. */
  resize(low: number, high: number, capacity: number): void {
    const counts = new Float64Array(capacity);
    // Room on both sides of the range, as the next value may fall on either.
    const offset = low - ((capacity - (high - low + 1)) >> 1);
    const range = this.populated();
    if (range) {
      for (let index = range[0]; index <= range[1]; index++) {
        counts[index - offset] = this.counts[index - this.offset]!;
      }
    }
    this.counts = counts;
    this.offset = offset;
  }

  /** The buckets one schema lower: index k becomes ceil(k/2), neighbours merged. */
  halve(): void {
    const range = this.populated();
    if (!range) return;
    const [low, high] = range;
    const old = this.counts;
    const oldOffset = this.offset;
    const newLow = (low + 1) >> 1;
    const newHigh = (high + 1) >> 1;
    this.counts = new Float64Array(old.length);
    this.offset = newLow - ((old.length - (newHigh - newLow + 1)) >> 1);
    for (let index = low; index <= high; index++) {
      const count = old[index - oldOffset]!;
      if (count !== 0) this.counts[((index + 1) >> 1) - this.offset]! += count;
    }
  }

  /** No more slots than the populated range needs. */
  shrinkToFit(): void {
    const range = this.populated();
    if (!range) this.clear();
    else if (range[1] - range[0] + 1 < this.counts.length)
      this.resize(range[0], range[1], range[1] - range[0] + 1);
  }

  clear(): void {
    this.counts = new Float64Array(0);
    this.offset = 0;
  }

  /** Spans and deltas as metrics.proto carries them; gaps of up to two buckets stay in a span. */
  encode(): { spans: BucketSpan[]; deltas: number[] } {
    const spans: BucketSpan[] = [];
    const deltas: number[] = [];
    const range = this.populated();
    if (!range) return { spans, deltas };
    const { counts, offset } = this;
    let previous = 0;
    let spanStart = range[0];
    let spanLength = 0;
    let nextIndex = 0;
    let first = true;
    for (let index = range[0]; index <= range[1]; index++) {
      const count = counts[index - offset]!;
      if (count === 0) continue;
      const gap = index - nextIndex;
      if (first || gap > 2) {
        if (!first) spans.push({ offset: spanStart, length: spanLength });
        spanStart = first ? index : gap;
        spanLength = 0;
        first = false;
      } else {
        for (let skipped = 0; skipped < gap; skipped++) {
          deltas.push(0 - previous);
          previous = 0;
          spanLength++;
        }
      }
      deltas.push(count - previous);
      previous = count;
      spanLength++;
      nextIndex = index + 1;
    }
    spans.push({ offset: spanStart, length: spanLength });
    return { spans, deltas };
  }
}

/**
 * One series' native buckets. Observing a value inside the window is an index computation and
 * one addition; a value outside it grows the window, or, when the series would span more than
 * `maxBuckets`, halves the resolution (merging neighbours) until it fits, as client_golang does.
 * At schema -4 it cannot halve any more: the window then grows past the bound, up to the 2 x 132
 * buckets that cover every double at that schema.
 */
export class ExponentialBuckets {
  schema: number;
  readonly zeroThreshold: number;
  readonly maxBuckets: number;
  zeroCount = 0;
  private readonly initialSchema: number;
  private readonly positive = new BucketWindow();
  private readonly negative = new BucketWindow();
  /** The buckets as last handed to a writer; dropped by any observation that counts in one. */
  private view: NativeBuckets | undefined;
  /**
   * Values above it may take the fast path: positive normal doubles past the zero bucket, at a
   * positive schema (Infinity at any other, so that none does).
   */
  private fastFloor = Number.POSITIVE_INFINITY;
  /** The current schema's lookup (fineSchema), read field by field by the fast path. */
  private fine: FineSchema = NO_FINE_SCHEMA;

  constructor(settings: ExponentialBucketsSettings) {
    this.schema = settings.schema;
    this.initialSchema = settings.schema;
    this.zeroThreshold = settings.zeroThreshold;
    this.maxBuckets = settings.maxBuckets;
    this.setSchema(settings.schema);
  }

  /**
   * Counts `value` in its bucket; NaN goes in none (the caller counts it in count and sum). The
   * common cases, a positive normal double inside the window at a positive schema and a zero,
   * are written out here, in a function small enough for V8 to inline into its callers: the
   * calls it did not inline, and the special cases checked for every value, cost several times
   * the index itself (bench/RESULTS.md).
   */
  observe(value: number): void {
    // Infinity passes, and leaves at the split: its mantissa is 0, as is entries[0]'s (the first
    // bound, 2^0 / 2, is a power of two).
    if (value > this.fastFloor) {
      // fineBucketIndex from the high word alone (see FineSchema), and the window's slot.
      const { fine } = this;
      scratch[0] = value;
      const high = words[HIGH]!;
      const mantissa = high & 0x000fffff;
      const entry = fine.entries[mantissa >>> fine.shift]!;
      const split = entry & 0x1fffff;
      // With the bound's top bits, only the low word tells: observeAnyValue decides.
      if (mantissa !== split) {
        const { counts, offset } = this.positive;
        const index =
          (entry >>> 21) + (mantissa > split ? 1 : 0) + ((high >>> 20) - 1023) * fine.perPowerOfTwo;
        const slot = index - offset;
        if (slot >= 0 && slot < counts.length) {
          counts[slot]! += 1;
          this.view = undefined;
          return;
        }
      }
    } else if (value === 0) {
      this.zeroCount += 1;
      this.view = undefined;
      return;
    }
    this.observeAnyValue(value);
  }

  /** Any value, in any case the fast path leaves out. */
  private observeAnyValue(value: number): void {
    if (value > this.zeroThreshold) this.add(this.positive, value);
    else if (value < -this.zeroThreshold) this.add(this.negative, -value);
    else if (!Number.isNaN(value)) this.zeroCount += 1;
    else return;
    this.view = undefined;
  }

  private add(window: BucketWindow, magnitude: number): void {
    const slot = bucketIndex(magnitude, this.schema) - window.offset;
    if (slot >= 0 && slot < window.counts.length) {
      window.counts[slot]! += 1;
      return;
    }
    this.grow(window, magnitude);
  }

  /** The slow path: room for a value outside the window, at the resolution the bound allows. */
  private grow(window: BucketWindow, magnitude: number): void {
    for (;;) {
      const index = bucketIndex(magnitude, this.schema);
      const range = window.populated();
      const low = range ? Math.min(range[0], index) : index;
      const high = range ? Math.max(range[1], index) : index;
      const span = high - low + 1;
      const other = window === this.positive ? this.negative : this.positive;
      // The two windows' slots together stay within the bound: that is the memory a series holds.
      let allowed = this.maxBuckets - other.counts.length;
      if (span > allowed) {
        other.shrinkToFit();
        allowed = this.maxBuckets - other.counts.length;
      }
      if (span > allowed && this.schema > MIN_SCHEMA) {
        this.halveResolution();
        continue;
      }
      const slot = index - window.offset;
      if (slot < 0 || slot >= window.counts.length) {
        // Twice the span (for the values to come) within the bound, never below what is needed.
        const capacity = Math.max(span, Math.min(Math.max(2 * span, 8), allowed));
        window.resize(low, high, capacity);
      }
      window.counts[index - window.offset]! += 1;
      return;
    }
  }

  private halveResolution(): void {
    this.setSchema(this.schema - 1);
    this.positive.halve();
    this.negative.halve();
  }

  private setSchema(schema: number): void {
    this.schema = schema;
    this.fine = schema > 0 ? fineSchema(schema) : NO_FINE_SCHEMA;
    this.fastFloor = schema > 0 ? Math.max(this.zeroThreshold, MIN_NORMAL) : Number.POSITIVE_INFINITY;
  }

  /** The slots both windows hold: what the bound limits. */
  get slots(): number {
    return this.positive.counts.length + this.negative.counts.length;
  }

  /** Back to no observation, at the configured resolution. */
  reset(): void {
    this.setSchema(this.initialSchema);
    this.zeroCount = 0;
    this.positive.clear();
    this.negative.clear();
    this.view = undefined;
  }

  /**
   * The buckets as metrics.proto carries them, built at scrape time from the window (no copy of
   * the counts beyond the deltas), and kept until the next observation changes them.
   */
  buckets(): NativeBuckets {
    if (this.view !== undefined) return this.view;
    const positive = this.positive.encode();
    const negative = this.negative.encode();
    // With nothing to show and a zero threshold of 0, a native histogram would read as a classic
    // one to a scraper: an empty span says it is native (client_golang does the same).
    if (
      this.zeroThreshold === 0 &&
      this.zeroCount === 0 &&
      positive.spans.length === 0 &&
      negative.spans.length === 0
    ) {
      positive.spans.push({ offset: 0, length: 0 });
    }
    this.view = {
      schema: this.schema,
      zeroThreshold: this.zeroThreshold,
      zeroCount: this.zeroCount,
      positiveSpans: positive.spans,
      positiveDeltas: positive.deltas,
      negativeSpans: negative.spans,
      negativeDeltas: negative.deltas,
    };
    return this.view;
  }
}
