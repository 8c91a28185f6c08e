import type { BucketSpan, NativeBuckets } from '../exposition/exposed-family.js';

/**
 * A sum of native histograms' buckets, as the primary serves one series of the cluster: each
 * added histogram is brought to the coarsest schema among them (a bucket at schema s is two at
 * s + 1, so merging is exact) and to the widest zero bucket (buckets that lie inside it move
 * into it), then counts are added. Counts are whole numbers, so the sums are exact and a sum of
 * counts that only grow never goes down.
 */
export class NativeSum {
  schema = Number.POSITIVE_INFINITY;
  zeroThreshold = 0;
  zeroCount = 0;
  private positive = new Map<number, number>();
  private negative = new Map<number, number>();

  get empty(): boolean {
    return this.schema === Number.POSITIVE_INFINITY;
  }

  add(buckets: NativeBuckets): void {
    if (buckets.schema < this.schema) this.lowerSchema(buckets.schema);
    if (buckets.zeroThreshold > this.zeroThreshold) this.widenZeroBucket(buckets.zeroThreshold);
    this.zeroCount += buckets.zeroCount;
    const shift = buckets.schema - this.schema;
    this.addSide(this.positive, buckets.positiveSpans, buckets.positiveDeltas, shift);
    this.addSide(this.negative, buckets.negativeSpans, buckets.negativeDeltas, shift);
  }

  addSum(other: NativeSum): void {
    if (!other.empty) this.add(other.buckets());
  }

  private addSide(
    side: Map<number, number>,
    spans: readonly BucketSpan[],
    deltas: readonly number[],
    shift: number,
  ): void {
    let index = 0;
    let count = 0;
    let delta = 0;
    for (const span of spans) {
      index += span.offset;
      for (let i = 0; i < span.length; i++) {
        count += deltas[delta++] ?? 0;
        if (count !== 0) {
          const key = coarser(index, shift);
          if (this.insideZeroBucket(key)) this.zeroCount += count;
          else side.set(key, (side.get(key) ?? 0) + count);
        }
        index++;
      }
    }
  }

  private lowerSchema(schema: number): void {
    const shift = this.empty ? 0 : this.schema - schema;
    this.schema = schema;
    if (shift === 0) return;
    this.positive = regrouped(this.positive, shift);
    this.negative = regrouped(this.negative, shift);
  }

  private widenZeroBucket(threshold: number): void {
    this.zeroThreshold = threshold;
    for (const side of [this.positive, this.negative]) {
      for (const [key, count] of side) {
        if (!this.insideZeroBucket(key)) continue;
        this.zeroCount += count;
        side.delete(key);
      }
    }
  }

  /** A bucket whose upper bound is at most the zero threshold lies wholly inside the zero bucket. */
  private insideZeroBucket(key: number): boolean {
    return this.zeroThreshold > 0 && 2 ** (key * 2 ** -this.schema) <= this.zeroThreshold;
  }

  buckets(): NativeBuckets {
    const positive = encode(this.positive);
    const negative = encode(this.negative);
    if (
      this.zeroThreshold === 0 &&
      this.zeroCount === 0 &&
      positive.spans.length === 0 &&
      negative.spans.length === 0
    ) {
      positive.spans.push({ offset: 0, length: 0 });
    }
    return {
      schema: this.empty ? 0 : this.schema,
      zeroThreshold: this.zeroThreshold,
      zeroCount: this.zeroCount,
      positiveSpans: positive.spans,
      positiveDeltas: positive.deltas,
      negativeSpans: negative.spans,
      negativeDeltas: negative.deltas,
    };
  }
}

/** Index `index` at a schema `shift` steps finer, at the coarser one: ceil(index / 2^shift). */
function coarser(index: number, shift: number): number {
  return shift === 0 ? index : (index + (1 << shift) - 1) >> shift;
}

function regrouped(side: Map<number, number>, shift: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const [key, count] of side) {
    const coarse = coarser(key, shift);
    out.set(coarse, (out.get(coarse) ?? 0) + count);
  }
  return out;
}

/** Spans and deltas as metrics.proto carries them, gaps of up to two buckets inside a span. */
function encode(side: Map<number, number>): { spans: BucketSpan[]; deltas: number[] } {
  const spans: { offset: number; length: number }[] = [];
  const deltas: number[] = [];
  const keys = [...side.keys()].sort((a, b) => a - b);
  let previous = 0;
  let next = 0;
  for (const key of keys) {
    const gap = key - next;
    if (spans.length === 0 || gap > 2) spans.push({ offset: spans.length === 0 ? key : gap, length: 0 });
    else {
      for (let i = 0; i < gap; i++) {
        deltas.push(0 - previous);
        previous = 0;
        spans[spans.length - 1]!.length++;
      }
    }
    const count = side.get(key)!;
    deltas.push(count - previous);
    previous = count;
    spans[spans.length - 1]!.length++;
    next = key + 1;
  }
  return { spans, deltas };
}
