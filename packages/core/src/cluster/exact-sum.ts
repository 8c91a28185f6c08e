/**
 * Sums kept exactly, rounded once when read. Floating-point addition is not associative: the
 * primary adds `(0.1 + 0.2) + 0.6` while three workers live and `(0.1 + 0.6) + 0.2` once the
 * second has died and its value moved into the retained total, and the second is one rounding
 * step lower. Prometheus reads any decrease of a counter as a reset. An exact sum has no order,
 * and rounding is monotonic, so a total made of values that only grow, or only move from a
 * worker into the retained total, is served as a number that never goes down.
 *
 * A sum is a list of partials: non-overlapping doubles in increasing magnitude whose exact sum
 * is the value (Shewchuk's expansion, as in Python's `math.fsum`). Whole numbers below 2^53,
 * which most counts are, keep a single partial.
 */
export type ExactSum = number[];

/** Adds `value` to `sum` without rounding. */
export function addExact(sum: ExactSum, value: number): void {
  // Past an infinity or a NaN the sum is that, as plain addition would give.
  if (sum.length === 1 && !Number.isFinite(sum[0]!)) {
    sum[0]! += value;
    return;
  }
  if (!Number.isFinite(value)) {
    sum.length = 0;
    sum.push(value);
    return;
  }
  let x = value;
  let kept = 0;
  for (let i = 0; i < sum.length; i++) {
    let y = sum[i]!;
    if (Math.abs(x) < Math.abs(y)) {
      const larger = y;
      y = x;
      x = larger;
    }
    const high = x + y;
    if (!Number.isFinite(high)) {
      sum.length = 0;
      sum.push(high);
      return;
    }
    // The rounding error of `x + y`, exactly: `x + y === high + low`.
    const low = y - (high - x);
    if (low !== 0) sum[kept++] = low;
    x = high;
  }
  // Written in place and never emptied first: an array whose length drops to 0 gives up its
  // storage, and growing it again takes seventeen slots.
  sum[kept] = x;
  sum.length = kept + 1;
}

/** The sum as the nearest double (ties to even): the same whatever order the values came in. */
export function roundExact(sum: ExactSum): number {
  let n = sum.length;
  if (n === 0) return 0;
  let high = sum[--n]!;
  let low = 0;
  while (n > 0) {
    const x = high;
    const y = sum[--n]!;
    high = x + y;
    low = y - (high - x);
    if (low !== 0) break;
  }
  // `high + low` rounded half-way, and a partial below pushes the exact value past the half:
  // round away from `high` instead of to even.
  if (n > 0 && ((low < 0 && sum[n - 1]! < 0) || (low > 0 && sum[n - 1]! > 0))) {
    const twice = low * 2;
    const rounded = high + twice;
    if (twice === rounded - high) high = rounded;
  }
  return high;
}
