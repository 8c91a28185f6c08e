import { describe, expect, it } from 'vitest';
import type { NativeBuckets } from '../src/exposition/exposed-family.js';
import { bucketIndex, ExponentialBuckets } from '../src/families/exponential-buckets.js';

// A reference written apart from the code under test: a bucket's bounds from Math.pow, and the
// index of a value found by walking from a logarithm's guess until the bounds hold it.
function upperBound(index: number, schema: number): number {
  return 2 ** (index * 2 ** -schema);
}

function referenceIndex(magnitude: number, schema: number): number {
  let index = Math.ceil(Math.log2(magnitude) * 2 ** schema) + 0;
  while (upperBound(index - 1, schema) >= magnitude) index--;
  while (upperBound(index, schema) < magnitude) index++;
  return index;
}

/** The counts per bucket index that a view stands for, decoded from its spans and deltas. */
function decode(spans: NativeBuckets['positiveSpans'], deltas: readonly number[]): Map<number, number> {
  const counts = new Map<number, number>();
  let index = 0;
  let count = 0;
  let delta = 0;
  for (const span of spans) {
    index += span.offset;
    for (let i = 0; i < span.length; i++) {
      count += deltas[delta++]!;
      if (count !== 0) counts.set(index, count);
      index++;
    }
  }
  expect(delta).toBe(deltas.length);
  return counts;
}

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
}

/** Values over many orders of magnitude, both signs, zeros, and the edges of the doubles. */
function values(seed: number, n: number): number[] {
  const next = random(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const magnitude = 2 ** ((next() - 0.5) * 60) * (1 + next());
    out.push(next() < 0.2 ? -magnitude : magnitude);
  }
  return out;
}

function bruteForce(observed: readonly number[], schema: number, zeroThreshold: number) {
  const positive = new Map<number, number>();
  const negative = new Map<number, number>();
  let zero = 0;
  for (const value of observed) {
    if (Number.isNaN(value)) continue;
    if (Math.abs(value) <= zeroThreshold) zero++;
    else {
      const side = value > 0 ? positive : negative;
      const index = referenceIndex(Math.abs(value), schema);
      side.set(index, (side.get(index) ?? 0) + 1);
    }
  }
  return { positive, negative, zero };
}

describe('bucketIndex', () => {
  it('puts every value in the bucket whose bounds hold it, at every schema', () => {
    for (let schema = -4; schema <= 8; schema++) {
      for (const value of values(schema + 100, 2000)) {
        const magnitude = Math.abs(value);
        const index = bucketIndex(magnitude, schema);
        expect(index, `${magnitude} at schema ${schema}`).toBe(referenceIndex(magnitude, schema));
      }
    }
  });

  it('closes a bucket on its upper bound: powers of two, and the bounds client_golang lists', () => {
    for (let schema = -4; schema <= 8; schema++) {
      for (const exponent of [-1074, -1022, -20, -1, 0, 1, 7, 1023]) {
        const power = 2 ** exponent;
        const index = bucketIndex(power, schema);
        // Below schema 0 a bucket spans several powers of two; one that ends a bucket closes it.
        if (schema >= 0 || exponent % 2 ** -schema === 0) expect(upperBound(index, schema)).toBe(power);
        // Math.pow cannot tell bounds apart below the normal doubles: the reference stops there.
        if (exponent >= -1022) expect(index).toBe(referenceIndex(power, schema));
      }
    }
  });

  it('classifies the doubles next to every boundary exactly, judged with integers', () => {
    // Around each true bound 2^(j/n) of [1, 2): a double c = M·2^-52 is at most the bound exactly
    // when M^n <= 2^(j + 52n), so it belongs to bucket j, else to j + 1.
    for (let schema = 1; schema <= 8; schema++) {
      const n = 2 ** schema;
      for (let j = 1; j < n; j++) {
        const guess = 2 ** (j / n);
        for (const candidate of [nextDown(guess), guess, nextUp(guess)]) {
          const mantissa = BigInt(candidate * 2 ** 52);
          const atMostBound = mantissa ** BigInt(n) <= 1n << BigInt(j + 52 * n);
          expect(bucketIndex(candidate, schema), `${candidate} at schema ${schema}`).toBe(
            atMostBound ? j : j + 1,
          );
        }
      }
    }
  });

  it('gives 1 index 0 and the smallest and largest doubles and infinity their own buckets', () => {
    expect(bucketIndex(1, 0)).toBe(0);
    expect(bucketIndex(1.5, 0)).toBe(1);
    expect(bucketIndex(Number.MIN_VALUE, 0)).toBe(-1074);
    expect(bucketIndex(Number.MAX_VALUE, 0)).toBe(1024);
    expect(bucketIndex(Number.POSITIVE_INFINITY, 0)).toBe(1025);
    expect(bucketIndex(Number.MAX_VALUE, 3)).toBe(8192);
    expect(bucketIndex(Number.POSITIVE_INFINITY, 3)).toBe(8193);
    expect(bucketIndex(Number.POSITIVE_INFINITY, -4)).toBe(65);
  });
});

/** The double one ulp away from a positive `value`. */
function adjacent(value: number, step: bigint): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  view.setBigUint64(0, view.getBigUint64(0) + step);
  return view.getFloat64(0);
}
const nextUp = (value: number) => adjacent(value, 1n);
const nextDown = (value: number) => adjacent(value, -1n);

describe('ExponentialBuckets', () => {
  it('counts seeded random values exactly as a brute-force count of the reference buckets', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const buckets = new ExponentialBuckets({ schema: 8, zeroThreshold: 1e-9, maxBuckets: 160 });
      const observed = values(seed, 5000);
      observed.push(0, -0, 1e-10, -1e-9, Number.NaN);
      for (const value of observed) buckets.observe(value);
      const view = buckets.buckets();
      // 60 binary orders of magnitude do not fit 160 buckets at schema 8: the resolution drops.
      expect(view.schema).toBeLessThan(8);
      expect(buckets.slots).toBeLessThanOrEqual(160);
      const expected = bruteForce(observed, view.schema, 1e-9);
      expect(view.zeroCount).toBe(expected.zero);
      expect(decode(view.positiveSpans, view.positiveDeltas)).toEqual(expected.positive);
      expect(decode(view.negativeSpans, view.negativeDeltas)).toEqual(expected.negative);
    }
  });

  it('counts the doubles next to every boundary in the bucket bucketIndex gives them', () => {
    // An observation inside the window takes a path of its own, written apart from bucketIndex.
    for (let schema = 1; schema <= 8; schema++) {
      const n = 2 ** schema;
      for (const scale of [2 ** -20, 1, 2 ** 30]) {
        const buckets = new ExponentialBuckets({ schema, zeroThreshold: 2 ** -128, maxBuckets: 4 * n });
        const expected = new Map<number, number>();
        // The window first spans the whole power of two, so every value after lands inside it.
        buckets.observe(scale * 1.0000001);
        buckets.observe(scale * 1.9999999);
        for (const value of [scale * 1.0000001, scale * 1.9999999]) {
          const index = bucketIndex(value, schema);
          expected.set(index, (expected.get(index) ?? 0) + 1);
        }
        for (let j = 0; j <= n; j++) {
          const bound = scale * 2 ** (j / n);
          // The doubles next to the bound share its top mantissa bits; a relative step of 2^-17
          // does not, and is decided from those bits alone.
          for (const value of [
            bound * (1 - 2 ** -17),
            nextDown(bound),
            bound,
            nextUp(bound),
            bound * (1 + 2 ** -17),
          ]) {
            buckets.observe(value);
            const index = bucketIndex(value, schema);
            expected.set(index, (expected.get(index) ?? 0) + 1);
          }
        }
        const view = buckets.buckets();
        expect(view.schema).toBe(schema);
        expect(decode(view.positiveSpans, view.positiveDeltas), `schema ${schema}, scale ${scale}`).toEqual(
          expected,
        );
      }
    }
  });

  it('keeps the resolution it was given while the values fit the bound', () => {
    const buckets = new ExponentialBuckets({ schema: 3, zeroThreshold: 2 ** -128, maxBuckets: 160 });
    const observed = [0.003, 0.01, 0.1, 0.25, 1, 2.5];
    for (const value of observed) buckets.observe(value);
    const view = buckets.buckets();
    expect(view.schema).toBe(3);
    expect(decode(view.positiveSpans, view.positiveDeltas)).toEqual(bruteForce(observed, 3, 0).positive);
  });

  it('halves the resolution for a far-out value, merging neighbours, as many times as needed', () => {
    const buckets = new ExponentialBuckets({ schema: 8, zeroThreshold: 0, maxBuckets: 20 });
    buckets.observe(1.001);
    buckets.observe(1.01);
    expect(buckets.buckets().schema).toBe(8);
    buckets.observe(1e6);
    const view = buckets.buckets();
    // 1..1e6 spans log2(1e6) ~ 19.9 powers of two: 20 buckets at schema 0 at most.
    expect(view.schema).toBe(0);
    expect(decode(view.positiveSpans, view.positiveDeltas)).toEqual(
      new Map([
        [1, 2],
        [20, 1],
      ]),
    );
    expect(buckets.slots).toBeLessThanOrEqual(20);
  });

  it('stops at schema -4, where every double fits 132 buckets a sign', () => {
    const buckets = new ExponentialBuckets({ schema: 0, zeroThreshold: 0, maxBuckets: 4 });
    for (const value of [Number.MIN_VALUE, 1, Number.MAX_VALUE, Number.POSITIVE_INFINITY]) {
      buckets.observe(value);
      buckets.observe(-value);
    }
    const view = buckets.buckets();
    expect(view.schema).toBe(-4);
    const positive = decode(view.positiveSpans, view.positiveDeltas);
    expect([...positive.values()].reduce((a, b) => a + b)).toBe(4);
    expect(positive.get(bucketIndex(Number.POSITIVE_INFINITY, -4))).toBe(1);
    expect(buckets.slots).toBeLessThanOrEqual(2 * 134);
  });

  it('counts 0 in the zero bucket, leaves NaN out of every bucket, and shows ±Infinity', () => {
    const buckets = new ExponentialBuckets({ schema: 3, zeroThreshold: 2 ** -128, maxBuckets: 160 });
    for (const value of [0, -0, 2 ** -130, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      buckets.observe(value);
    }
    const view = buckets.buckets();
    expect(view.zeroCount).toBe(3);
    expect(decode(view.positiveSpans, view.positiveDeltas)).toEqual(new Map([[8193, 1]]));
    expect(decode(view.negativeSpans, view.negativeDeltas)).toEqual(new Map([[8193, 1]]));
  });

  it('counts +Infinity one past the largest double, also when that bucket is in the window', () => {
    for (let schema = 1; schema <= 8; schema++) {
      const buckets = new ExponentialBuckets({ schema, zeroThreshold: 2 ** -128, maxBuckets: 160 });
      buckets.observe(Number.MAX_VALUE);
      buckets.observe(Number.POSITIVE_INFINITY);
      const view = buckets.buckets();
      const largest = bucketIndex(Number.MAX_VALUE, schema);
      expect(decode(view.positiveSpans, view.positiveDeltas)).toEqual(
        new Map([
          [largest, 1],
          [largest + 1, 1],
        ]),
      );
    }
  });

  it('marks an empty histogram with a zero threshold of 0 as native with an empty span', () => {
    const empty = new ExponentialBuckets({ schema: 3, zeroThreshold: 0, maxBuckets: 160 }).buckets();
    expect(empty.positiveSpans).toEqual([{ offset: 0, length: 0 }]);
    const withThreshold = new ExponentialBuckets({ schema: 3, zeroThreshold: 1e-9, maxBuckets: 160 });
    expect(withThreshold.buckets().positiveSpans).toEqual([]);
  });

  it('writes spans and deltas as metrics.proto does: gaps of up to two buckets inside a span', () => {
    const buckets = new ExponentialBuckets({ schema: 0, zeroThreshold: 0, maxBuckets: 160 });
    // Indexes 0 (1), 1 (2, twice), 4 (16), and 10 (1000, a gap of five).
    for (const value of [1, 2, 2, 16, 1000]) buckets.observe(value);
    const view = buckets.buckets();
    expect(view.positiveSpans).toEqual([
      { offset: 0, length: 5 },
      { offset: 5, length: 1 },
    ]);
    expect(view.positiveDeltas).toEqual([1, 1, -2, 0, 1, 0]);
  });

  it('hands the same view until an observation changes it, and a new one after', () => {
    const buckets = new ExponentialBuckets({ schema: 3, zeroThreshold: 0, maxBuckets: 160 });
    buckets.observe(1);
    const first = buckets.buckets();
    expect(buckets.buckets()).toBe(first);
    buckets.observe(1);
    expect(buckets.buckets()).not.toBe(first);
    expect(buckets.buckets().positiveDeltas).toEqual([2]);
    buckets.reset();
    expect(buckets.buckets().positiveSpans).toEqual([{ offset: 0, length: 0 }]);
  });

  it('takes millions of observations in one series within its bound', () => {
    const buckets = new ExponentialBuckets({ schema: 3, zeroThreshold: 2 ** -128, maxBuckets: 160 });
    const next = random(7);
    const n = 3_000_000;
    for (let i = 0; i < n; i++) buckets.observe(0.001 * 2 ** (next() * 12));
    const view = buckets.buckets();
    const total = [...decode(view.positiveSpans, view.positiveDeltas).values()].reduce((a, b) => a + b);
    expect(total).toBe(n);
    expect(view.schema).toBe(3);
    expect(buckets.slots).toBeLessThanOrEqual(160);
  });

  it('holds many series at the bucket bound within maxBuckets slots each', () => {
    const next = random(11);
    const series = Array.from(
      { length: 2000 },
      () => new ExponentialBuckets({ schema: 8, zeroThreshold: 2 ** -128, maxBuckets: 40 }),
    );
    for (const buckets of series) {
      for (let i = 0; i < 200; i++) {
        const magnitude = 10 ** (next() * 15 - 6);
        buckets.observe(next() < 0.5 ? magnitude : -magnitude);
      }
    }
    for (const buckets of series) {
      expect(buckets.slots).toBeLessThanOrEqual(40);
      expect(buckets.buckets().schema).toBeLessThan(8);
    }
  });
});
