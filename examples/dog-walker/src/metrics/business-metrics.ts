import { createMetricFactories } from '@promenade/core';
import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CLASSIC_ONLY, type MetricsFeatures } from './metrics-features.js';

/** Why a walk could not be started or completed: a fixed set, so the label stays bounded. */
export const INVALID_WALK_REASONS = [
  'invalid_input',
  'unknown_dog',
  'unknown_walker',
  'dog_busy',
  'unknown_walk',
  'already_completed',
  'negative_distance',
] as const;
export type InvalidWalkReason = (typeof INVALID_WALK_REASONS)[number];

/** Buckets in meters: a short loop round the block up to a long hike. */
export const WALK_DISTANCE_BUCKETS = [0, 50, 200, 400, 800, 1600, 3200];

export interface BusinessMetrics {
  readonly walksStarted: Counter;
  readonly walksCompleted: Counter;
  readonly invalidWalkAttempts: Counter<'reason'>;
  readonly walkDistance: Histogram;
  readonly walksInProgress: Gauge;
}

/**
 * The dog walker's business metrics, defined once, on `registry`, with Promenade's idempotent
 * factories (a second call returns the same metrics). `countWalksInProgress` is asked at every
 * scrape: the gauge reads the database, so it is right after a restart and across processes.
 * With `features.nativeHistograms` the distance histogram is native too, its classic buckets kept.
 */
export function createBusinessMetrics(
  registry: Registry,
  countWalksInProgress: () => Promise<number>,
  features: MetricsFeatures = CLASSIC_ONLY,
): BusinessMetrics {
  const { counter, histogram, gauge } = createMetricFactories(registry);
  const invalidWalkAttempts = counter({
    name: 'dogwalker_invalid_walk_attempts_total',
    help: 'Requests to start or complete a walk that were refused, by reason.',
    labelNames: ['reason'],
  });
  // Every reason starts at 0, so a rate() over the first refusal is not lost.
  for (const reason of INVALID_WALK_REASONS) invalidWalkAttempts.labels({ reason }).inc(0);
  return {
    walksStarted: counter({ name: 'dogwalker_walks_started_total', help: 'Walks started.' }),
    walksCompleted: counter({ name: 'dogwalker_walks_completed_total', help: 'Walks completed.' }),
    invalidWalkAttempts,
    walkDistance: histogram({
      name: 'dogwalker_walk_distance_meters',
      help: 'Distance of completed walks, in meters.',
      buckets: WALK_DISTANCE_BUCKETS,
      ...(features.nativeHistograms && { nativeHistogram: true }),
    }),
    walksInProgress: gauge({
      name: 'dogwalker_walks_in_progress',
      help: 'Walks started and not completed yet, read from the database at scrape time.',
      async collect() {
        this.set(await countWalksInProgress());
      },
    }),
  };
}
