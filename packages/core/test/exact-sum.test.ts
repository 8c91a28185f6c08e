import { describe, expect, it } from 'vitest';
import { addExact, type ExactSum, roundExact } from '../src/cluster/exact-sum.js';

// The reference: every value below is a multiple of 2^-200 and under 2^20, so scaled by 2^200
// it is a whole number that BigInt holds exactly, and Number(bigint) rounds to nearest, ties to even.
const SCALE = 2 ** 200;
function referenceSum(values: readonly number[]): number {
  const total = values.reduce((sum, value) => sum + BigInt(value * SCALE), 0n);
  return Number(total) / SCALE;
}

function exactSum(values: readonly number[]): number {
  const sum: ExactSum = [];
  for (const value of values) addExact(sum, value);
  return roundExact(sum);
}

/** A deterministic generator, so a failure names the seed that made it. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('exact sums', () => {
  it('give the same double whatever the order of 0.1, 0.2 and 0.6', () => {
    expect(0.1 + 0.2 + 0.6).not.toBe(0.1 + 0.6 + 0.2);
    expect(exactSum([0.1, 0.2, 0.6])).toBe(exactSum([0.1, 0.6, 0.2]));
    expect(exactSum([0.6, 0.2, 0.1])).toBe(referenceSum([0.1, 0.2, 0.6]));
  });

  it('round the exact sum of random fractional values to the nearest double, in any order', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed);
      const values = Array.from({ length: 2 + Math.floor(next() * 40) }, () =>
        next() < 0.2 ? Math.floor(next() * 1000) : next() * 10 ** Math.floor(next() * 6 - 3),
      );
      const reversed = [...values].reverse();
      expect({ seed, sum: exactSum(values) }).toEqual({ seed, sum: referenceSum(values) });
      expect({ seed, sum: exactSum(reversed) }).toEqual({ seed, sum: referenceSum(values) });
    }
  });

  it('round a half-way case that a lower partial pushes up', () => {
    // 2^53 + 1 + 2^-60 is just above the half-way point between 2^53 and 2^53 + 2.
    expect(exactSum([2 ** 53, 1, 2 ** -60])).toBe(2 ** 53 + 2);
    expect(exactSum([2 ** 53, 1])).toBe(2 ** 53);
  });

  it('keep whole numbers in one partial and follow plain addition past an infinity', () => {
    const sum: ExactSum = [];
    for (let i = 0; i < 1000; i++) addExact(sum, 3);
    expect(sum).toEqual([3000]);
    expect(exactSum([1, Number.POSITIVE_INFINITY, 2])).toBe(Number.POSITIVE_INFINITY);
    expect(exactSum([Number.MAX_VALUE, Number.MAX_VALUE])).toBe(Number.POSITIVE_INFINITY);
    expect(exactSum([1, Number.NaN])).toBeNaN();
    expect(exactSum([])).toBe(0);
  });
});
