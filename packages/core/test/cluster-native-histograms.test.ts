import { describe, expect, it } from 'vitest';
import { aggregateFamilies } from '../src/cluster/aggregate-families.js';
import type { AggregatedFamily } from '../src/cluster/aggregated-series.js';
import { NativeSum } from '../src/cluster/native-sum.js';
import { CHANNEL, type WorkerMessage } from '../src/cluster/protocol.js';
import { WorkerSnapshot } from '../src/cluster/worker-snapshot.js';
import type { NativeBuckets } from '../src/exposition/exposed-family.js';
import { ExponentialBuckets } from '../src/families/exponential-buckets.js';

// The primary's sums of native buckets, fed what workers send: one histogram family, its
// `_count` series carrying the buckets.

const definitions: WorkerMessage = {
  channel: CHANNEL,
  kind: 'snapshot',
  families: [[0, 'walk_km', 'Walks.', 'histogram', 'sum']],
  series: [
    [0, 0, 'walk_km_bucket', { le: '+Inf' }],
    [1, 0, 'walk_km_sum', {}],
    [2, 0, 'walk_km_count', {}],
  ],
};

function bucketsOf(schema: number, values: readonly number[], maxBuckets = 160): NativeBuckets {
  const buckets = new ExponentialBuckets({ schema, zeroThreshold: 2 ** -128, maxBuckets });
  for (const value of values) buckets.observe(value);
  return buckets.buckets();
}

function message(values: readonly number[], schema: number, first: boolean): WorkerMessage {
  const sum = values.reduce((a, b) => a + b, 0);
  return {
    ...(first ? definitions : { channel: CHANNEL, kind: 'snapshot' }),
    values: [0, values.length, 1, sum, 2, values.length],
    natives: [[2, bucketsOf(schema, values)]],
  };
}

function served(families: Map<string, AggregatedFamily>, workers: Iterable<WorkerSnapshot>) {
  const [family] = aggregateFamilies(families.values(), workers);
  const count = family!.values.find((value) => value.metricName === 'walk_km_count')!;
  return count;
}

/** Counts per bucket index, decoded from spans and deltas. */
function decoded(buckets: NativeBuckets): Map<number, number> {
  const out = new Map<number, number>();
  let index = 0;
  let count = 0;
  let delta = 0;
  for (const span of buckets.positiveSpans) {
    index += span.offset;
    for (let i = 0; i < span.length; i++) {
      count += buckets.positiveDeltas[delta++]!;
      if (count !== 0) out.set(index, count);
      index++;
    }
  }
  return out;
}

describe('native histograms summed by the cluster primary', () => {
  it('adds the workers’ buckets, at the coarsest schema among them', () => {
    const families = new Map<string, AggregatedFamily>();
    const a = new WorkerSnapshot('1');
    const b = new WorkerSnapshot('2');
    // Schema 3: 1.2 in index 3 (2^(2/8) = 1.19 < 1.2 <= 2^(3/8) = 1.30), 3 in index 13.
    a.apply(message([1.2, 3], 3, true), families, 1);
    // Schema 1: 1.2 in index 1 (1 < 1.2 <= 1.41), 3 in index 4 (2.83 < 3 <= 4), 100 in index 14.
    b.apply(message([1.2, 3, 100], 1, true), families, 2);
    const count = served(families, [a, b]);
    expect(count.value).toBe(5);
    expect(count.native?.schema).toBe(1);
    expect(decoded(count.native!)).toEqual(
      new Map([
        [1, 2],
        [4, 2],
        [14, 1],
      ]),
    );
  });

  it('keeps a dead worker’s buckets, and a reset worker’s, so no bucket goes down', () => {
    const families = new Map<string, AggregatedFamily>();
    const a = new WorkerSnapshot('1');
    const b = new WorkerSnapshot('2');
    a.apply(message([1.2, 1.2], 0, true), families, 1);
    b.apply(message([3, 3], 0, true), families, 2);
    b.fold();
    let count = served(families, [a]);
    expect(count.value).toBe(4);
    expect(decoded(count.native!)).toEqual(
      new Map([
        [1, 2],
        [2, 2],
      ]),
    );
    // Worker 1's registry was reset (its count went down), and it counted one value since: its
    // old buckets are kept.
    a.apply(message([100], 0, false), families, 3);
    count = served(families, [a]);
    expect(count.value).toBe(5);
    expect(decoded(count.native!)).toEqual(
      new Map([
        [1, 2],
        [2, 2],
        [7, 1],
      ]),
    );
    // Every scrape alike: the retained buckets are added each time, not moved.
    expect(decoded(served(families, [a]).native!)).toEqual(decoded(count.native!));
  });

  it('forgets what a worker named again after a new aggregator probed it, counting nothing twice', () => {
    const families = new Map<string, AggregatedFamily>();
    const a = new WorkerSnapshot('1');
    a.apply(message([1.2, 3], 0, true), families, 1);
    a.apply({ ...message([1.2, 3, 3], 0, true), reset: true }, families, 2);
    expect(decoded(served(families, [a]).native!)).toEqual(
      new Map([
        [1, 1],
        [2, 2],
      ]),
    );
  });
});

describe('NativeSum', () => {
  it('merges a finer histogram into coarser buckets exactly, as one histogram at that schema counts', () => {
    const values = Array.from({ length: 500 }, (_, i) => 0.001 * 1.037 ** i);
    const sum = new NativeSum();
    sum.add(bucketsOf(5, values.slice(0, 250)));
    sum.add(bucketsOf(2, values.slice(250)));
    expect(sum.buckets()).toEqual(bucketsOf(2, values));
  });

  it('moves buckets inside a wider zero bucket into it', () => {
    const sum = new NativeSum();
    sum.add(bucketsOf(0, [0.001, 0.5, 4]));
    const wide = new ExponentialBuckets({ schema: 0, zeroThreshold: 0.01, maxBuckets: 160 });
    wide.observe(0.005);
    sum.add(wide.buckets());
    const buckets = sum.buckets();
    expect(buckets.zeroThreshold).toBe(0.01);
    // 0.001 lies in (2^-10, 2^-9], wholly under 0.01: it joins 0.005 in the zero bucket.
    expect(buckets.zeroCount).toBe(2);
    expect(decoded(buckets)).toEqual(
      new Map([
        [-1, 1],
        [2, 1],
      ]),
    );
  });
});
