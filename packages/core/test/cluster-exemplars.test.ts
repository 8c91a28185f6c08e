import { createHttpInstrumentation } from '@promenade/core/adapter';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { aggregateFamilies } from '../src/cluster/aggregate-families.js';
import type { AggregatedFamily } from '../src/cluster/aggregated-series.js';
import { CHANNEL, type WorkerMessage } from '../src/cluster/protocol.js';
import { WorkerReporter } from '../src/cluster/worker-reporter.js';
import { WorkerSnapshot } from '../src/cluster/worker-snapshot.js';
import { histogramFromSamples } from '../src/exposition/histogram-from-samples.js';
import { writeTextPage } from '../src/exposition/text-page.js';

// Workers' reporters and the primary's bookkeeping, joined by an in-memory channel in place of
// IPC (the forked-worker tests in test/cluster cover the IPC itself).

/** A worker: its HTTP recorder and a reporter whose answers land in `sent`. */
function worker(nativeHistograms: boolean) {
  const registry = new Registry();
  const { recorder } = createHttpInstrumentation(
    { registry, defaultMetrics: false, nativeHistograms, buckets: { duration: [1] } },
    { packageName: '@promenade/core' },
  );
  const sent: WorkerMessage[] = [];
  let deliver: (message: unknown) => void = () => {};
  const reporter = new WorkerReporter({
    listen: (onMessage) => {
      deliver = onMessage;
    },
    unlisten: () => {},
    send: (message) => sent.push(message),
  });
  reporter.registries.add(registry);
  reporter.start();
  const collect = async () => {
    deliver({ channel: CHANNEL, kind: 'collect', request: 1 });
    await vi.waitFor(() => expect(sent.at(-1)?.kind).toBe('snapshot'));
    return sent.pop()!;
  };
  const request = (seconds: number, traceId: string) =>
    recorder.finishFrameworkTimedRequest('GET', '/walks', 200, seconds, Number.NaN, Number.NaN, {
      trace_id: traceId,
    });
  return { collect, request, stop: () => reporter.stop() };
}

function durationLines(families: Map<string, AggregatedFamily>, workers: WorkerSnapshot[]): string[] {
  const page = writeTextPage(
    aggregateFamilies(families.values(), workers).map(
      (family) => histogramFromSamples(family) ?? { kind: 'samples' as const, family },
    ),
    true,
  );
  return page.split('\n').filter((line) => line.startsWith('http_request_duration_seconds_bucket'));
}

describe('exemplars on the cluster primary', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  for (const nativeHistograms of [false, true]) {
    it(`write the newest exemplar per bucket among the workers, kept when its worker dies (native ${nativeHistograms})`, async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const a = worker(nativeHistograms);
      const b = worker(nativeHistograms);
      const families = new Map<string, AggregatedFamily>();
      const snapshotA = new WorkerSnapshot('1');
      const snapshotB = new WorkerSnapshot('2');
      vi.setSystemTime(1_000_000);
      a.request(0.5, 'a1');
      b.request(0.25, 'b1');
      vi.setSystemTime(2_000_000);
      a.request(3, 'a2');
      vi.setSystemTime(3_000_000);
      b.request(0.75, 'b2');
      snapshotA.apply(await a.collect(), families, 1);
      snapshotB.apply(await b.collect(), families, 1);
      const expected = [
        'http_request_duration_seconds_bucket{method="GET",route="/walks",status_code="200",le="1.0"} 3 # {trace_id="b2"} 0.75 3000',
        'http_request_duration_seconds_bucket{method="GET",route="/walks",status_code="200",le="+Inf"} 4 # {trace_id="a2"} 3 2000',
      ];
      expect(durationLines(families, [snapshotA, snapshotB])).toEqual(expected);
      // Nothing new: nothing sent, the same page.
      const quiet = await a.collect();
      expect(quiet.exemplars).toBeUndefined();
      snapshotA.apply(quiet, families, 2);
      snapshotB.fold();
      expect(durationLines(families, [snapshotA])).toEqual(expected);
      a.stop();
      b.stop();
    });
  }
});
