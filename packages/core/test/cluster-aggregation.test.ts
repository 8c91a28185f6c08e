import { describe, expect, it } from 'vitest';
import { aggregateFamilies } from '../src/cluster/aggregate-families.js';
import type { AggregatedFamily } from '../src/cluster/aggregated-series.js';
import { CHANNEL, type WorkerMessage } from '../src/cluster/protocol.js';
import { WorkerSnapshot } from '../src/cluster/worker-snapshot.js';

// The primary's bookkeeping, fed the messages real workers send (the forked-worker tests in
// test/cluster cover the IPC itself): what is summed, kept, dropped and served per worker.

const first: WorkerMessage = {
  channel: CHANNEL,
  kind: 'snapshot',
  families: [
    [0, 'jobs_total', 'Jobs.', 'counter', 'sum'],
    [1, 'queue_depth', 'Depth.', 'gauge', 'max'],
    [2, 'latency_seconds', 'Latency.', 'summary', 'sum'],
  ],
  series: [
    [0, 0, 0, { kind: 'walk' }],
    [1, 1, 0, {}],
    [2, 2, 'latency_seconds', { quantile: 0.5 }],
    [3, 2, 'latency_seconds_sum', {}],
    [4, 2, 'latency_seconds_count', {}],
  ],
  values: [],
};

function start(values: number[]): WorkerMessage {
  return { ...first, values: values.flatMap((value, id) => [id, value]) };
}

function sample(families: ReturnType<typeof aggregateFamilies>, metric: string, labels: object = {}) {
  for (const family of families) {
    for (const value of family.values) {
      if (
        (value.metricName ?? family.name) === metric &&
        JSON.stringify(value.labels) === JSON.stringify(labels)
      )
        return value.value;
    }
  }
  return undefined;
}

describe('cluster aggregation in the primary', () => {
  it('sums counters, takes the declared gauge aggregation and serves summary quantiles per worker', () => {
    const families = new Map<string, AggregatedFamily>();
    const a = new WorkerSnapshot('1');
    const b = new WorkerSnapshot('2');
    a.apply(start([5, 3, 0.2, 10, 40]), families, 1);
    b.apply(start([7, 9, 0.4, 20, 60]), families, 2);
    const out = aggregateFamilies(families.values(), [a, b]);
    expect(sample(out, 'jobs_total', { kind: 'walk' })).toBe(12);
    expect(sample(out, 'queue_depth')).toBe(9);
    expect(sample(out, 'latency_seconds', { quantile: 0.5, worker: '1' })).toBe(0.2);
    expect(sample(out, 'latency_seconds', { quantile: 0.5, worker: '2' })).toBe(0.4);
    expect(sample(out, 'latency_seconds_count')).toBe(100);
  });

  it('keeps a dead worker’s counts, drops its gauges, and keeps a reset worker’s counts', () => {
    const families = new Map<string, AggregatedFamily>();
    const a = new WorkerSnapshot('1');
    const b = new WorkerSnapshot('2');
    a.apply(start([5, 3, 0.2, 10, 40]), families, 1);
    b.apply(start([7, 9, 0.4, 20, 60]), families, 2);
    b.fold();
    let out = aggregateFamilies(families.values(), [a]);
    expect(sample(out, 'jobs_total', { kind: 'walk' })).toBe(12);
    expect(sample(out, 'latency_seconds_count')).toBe(100);
    expect(sample(out, 'queue_depth')).toBe(3);
    expect(sample(out, 'latency_seconds', { quantile: 0.5, worker: '2' })).toBeUndefined();
    // Worker 1's registry was reset: its counter went from 5 to 1.
    a.apply({ channel: CHANNEL, kind: 'snapshot', values: [0, 1] }, families, 3);
    out = aggregateFamilies(families.values(), [a]);
    expect(sample(out, 'jobs_total', { kind: 'walk' })).toBe(13);
  });

  it('keeps memory bounded as workers come and go', () => {
    const families = new Map<string, AggregatedFamily>();
    const live = new Set<WorkerSnapshot>();
    let expected = 0;
    for (let i = 0; i < 2000; i++) {
      const worker = new WorkerSnapshot(String(i));
      worker.apply(start([1, i, 0.1, 1, 1]), families, i);
      expected += 1;
      live.add(worker);
      if (live.size > 4) {
        const [oldest] = live;
        oldest!.fold();
        live.delete(oldest!);
      }
    }
    const out = aggregateFamilies(families.values(), live);
    expect(sample(out, 'jobs_total', { kind: 'walk' })).toBe(expected);
    // One series per label set, whatever the churn: 5 here, as one worker has.
    const series = [...families.values()].reduce((sum, family) => sum + family.byKey.size, 0);
    expect(series).toBe(5);
  });

  it('applies a reset message without losing or double-counting', () => {
    const families = new Map<string, AggregatedFamily>();
    const a = new WorkerSnapshot('1');
    a.apply(start([5, 3, 0.2, 10, 40]), families, 1);
    a.apply({ ...start([6, 3, 0.2, 11, 41]), reset: true }, families, 2);
    const out = aggregateFamilies(families.values(), [a]);
    expect(sample(out, 'jobs_total', { kind: 'walk' })).toBe(6);
    expect(sample(out, 'latency_seconds_count')).toBe(41);
  });
});

describe('start timestamps on the primary', () => {
  function createdOf(families: ReturnType<typeof aggregateFamilies>, metric: string, labels: object = {}) {
    for (const family of families) {
      for (const value of family.values) {
        if (
          (value.metricName ?? family.name) === metric &&
          JSON.stringify(value.labels) === JSON.stringify(labels)
        )
          return value.created;
      }
    }
    return 'no such sample';
  }

  it('a summed series starts when the earliest worker that reported it started, kept after it dies', () => {
    const families = new Map<string, AggregatedFamily>();
    const a = new WorkerSnapshot('1');
    const b = new WorkerSnapshot('2');
    a.apply({ ...start([5, 3, 0.2, 10, 40]), startedAt: 2000.5 }, families, 1);
    b.apply({ ...start([7, 9, 0.4, 20, 60]), startedAt: 1000.25 }, families, 2);
    b.fold();
    const out = aggregateFamilies(families.values(), [a]);
    expect(createdOf(out, 'jobs_total', { kind: 'walk' })).toBe(1000.25);
    expect(createdOf(out, 'latency_seconds_count')).toBe(1000.25);
    expect(createdOf(out, 'latency_seconds_sum')).toBe(1000.25);
    // A gauge, and a quantile served per worker, have none.
    expect(createdOf(out, 'queue_depth')).toBeUndefined();
    expect(createdOf(out, 'latency_seconds', { quantile: 0.5, worker: '1' })).toBeUndefined();
    // A worker started later adds counts, not an earlier start.
    const c = new WorkerSnapshot('3');
    c.apply({ ...start([1, 1, 0.1, 1, 1]), startedAt: 3000 }, families, 3);
    expect(createdOf(aggregateFamilies(families.values(), [a, c]), 'jobs_total', { kind: 'walk' })).toBe(
      1000.25,
    );
  });

  it('a series one worker reported without a start has none from then on', () => {
    const families = new Map<string, AggregatedFamily>();
    const a = new WorkerSnapshot('1');
    const b = new WorkerSnapshot('2');
    a.apply({ ...start([5, 3, 0.2, 10, 40]), startedAt: 2000 }, families, 1);
    b.apply(start([7, 9, 0.4, 20, 60]), families, 2);
    b.fold();
    expect(
      createdOf(aggregateFamilies(families.values(), [a]), 'jobs_total', { kind: 'walk' }),
    ).toBeUndefined();
  });
});

describe('a summed counter never goes down, to the last bit', () => {
  const work: WorkerMessage = {
    channel: CHANNEL,
    kind: 'snapshot',
    families: [[0, 'work_seconds_total', 'Work.', 'counter', 'sum']],
    series: [[0, 0, 0, {}]],
  };
  const served = (workers: Iterable<WorkerSnapshot>, families: Map<string, AggregatedFamily>) =>
    sample(aggregateFamilies(families.values(), workers), 'work_seconds_total');

  it('serves 0.1 + 0.2 + 0.6 as the same number after the worker holding 0.2 dies', () => {
    const families = new Map<string, AggregatedFamily>();
    const workers = [0.1, 0.2, 0.6].map((value, index) => {
      const worker = new WorkerSnapshot(String(index + 1));
      worker.apply({ ...work, values: [0, value] }, families, 1);
      return worker;
    });
    const before = served(workers, families);
    workers[1]!.fold();
    const after = served([workers[0]!, workers[2]!], families);
    expect(before).toBe(0.9);
    expect(after).toBe(before);
  });

  it('never serves a lower sum, over random fractional counts, deaths, resets, replacements and reused ids', () => {
    // A deterministic generator, so that a failure names the seed that made it.
    const random = (seed: number) => () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    for (let seed = 1; seed <= 200; seed++) {
      const next = random(seed);
      const families = new Map<string, AggregatedFamily>();
      const live = new Map<WorkerSnapshot, number>();
      let named = 0;
      const spawn = () => {
        const worker = new WorkerSnapshot(String(++named));
        const value = Math.floor(next() * 1000) / 100 + next();
        worker.apply({ ...work, values: [0, value] }, families, named);
        live.set(worker, value);
      };
      for (let i = 0; i < 3 + Math.floor(next() * 5); i++) spawn();
      let previous = served(live.keys(), families)!;
      for (let step = 0; step < 30; step++) {
        const workers = [...live.keys()];
        const worker = workers[Math.floor(next() * workers.length)]!;
        const roll = next();
        if (roll < 0.3 && live.size > 1) {
          worker.fold();
          live.delete(worker);
        } else if (roll < 0.4) {
          spawn();
        } else if (roll < 0.45) {
          // The worker removed the series and gave its id to a new one with the same labels.
          const value = next();
          worker.apply(
            { channel: CHANNEL, kind: 'snapshot', removed: [0], series: [[0, 0, 0, {}]], values: [0, value] },
            families,
            step,
          );
          live.set(worker, value);
        } else {
          // A reset (registry.resetMetrics()) starts the worker's count again from a lower value.
          const value = roll < 0.5 ? next() / 10 : live.get(worker)! + next() * 10 ** (next() * 4 - 2);
          worker.apply({ channel: CHANNEL, kind: 'snapshot', values: [0, value] }, families, step);
          live.set(worker, value);
        }
        const now = served(live.keys(), families)!;
        expect({ seed, step, decreased: now < previous }).toEqual({ seed, step, decreased: false });
        previous = now;
      }
    }
  });
});

describe('the primary’s page stays valid OpenMetrics', () => {
  const histogram: WorkerMessage = {
    channel: CHANNEL,
    kind: 'snapshot',
    families: [[0, 'size_bytes', 'Size.', 'histogram', 'sum']],
    series: [
      [0, 0, 'size_bytes_bucket', { route: '/a', le: 10 }],
      [1, 0, 'size_bytes_bucket', { route: '/a', le: '+Inf' }],
      [2, 0, 'size_bytes_sum', { route: '/a' }],
      [3, 0, 'size_bytes_count', { route: '/a' }],
    ],
    values: [0, 2, 1, 2, 2, 0, 3, 2],
  };

  it('serves a dead worker’s histogram sum of 0 beside its count', () => {
    const families = new Map<string, AggregatedFamily>();
    const worker = new WorkerSnapshot('1');
    worker.apply(histogram, families, 1);
    worker.fold();
    const out = aggregateFamilies(families.values(), []);
    expect(sample(out, 'size_bytes_count', { route: '/a' })).toBe(2);
    expect(sample(out, 'size_bytes_sum', { route: '/a' })).toBe(0);
  });

  it('keeps one label set’s lines together, buckets in order, when a worker names a set later or reuses ids', () => {
    const families = new Map<string, AggregatedFamily>();
    const worker = new WorkerSnapshot('1');
    worker.apply(histogram, families, 1);
    // A second route appears later, and its +Inf bucket takes an id before its first bucket.
    worker.apply(
      {
        channel: CHANNEL,
        kind: 'snapshot',
        series: [
          [5, 0, 'size_bytes_bucket', { route: '/b', le: '+Inf' }],
          [4, 0, 'size_bytes_bucket', { route: '/b', le: 10 }],
          [6, 0, 'size_bytes_sum', { route: '/b' }],
          [7, 0, 'size_bytes_count', { route: '/b' }],
        ],
        values: [4, 1, 5, 1, 6, 3, 7, 1],
      },
      families,
      2,
    );
    // Route /a gains a bucket bound that was not there before: it is named after /b's lines.
    worker.apply(
      {
        channel: CHANNEL,
        kind: 'snapshot',
        series: [[8, 0, 'size_bytes_bucket', { route: '/a', le: 5 }]],
        values: [8, 1],
      },
      families,
      3,
    );
    const [family] = aggregateFamilies(families.values(), [worker]);
    const lines = family!.values.map((value) =>
      `${value.metricName} ${value.labels?.route} ${value.labels?.le ?? ''}`.trim(),
    );
    expect(lines).toEqual([
      'size_bytes_bucket /a 5',
      'size_bytes_bucket /a 10',
      'size_bytes_bucket /a +Inf',
      'size_bytes_sum /a',
      'size_bytes_count /a',
      'size_bytes_bucket /b 10',
      'size_bytes_bucket /b +Inf',
      'size_bytes_sum /b',
      'size_bytes_count /b',
    ]);
  });
});
