import { createMetricFactories } from '@promenade/core';
import type { Registry } from 'prom-client';
import { WALK_EVENT_TYPES } from './walk-events.js';

/** Why an event was not handled: a fixed set, never the event's own text. */
export const EVENT_FAILURE_REASONS = ['invalid_event', 'handler_error'] as const;
export type EventFailureReason = (typeof EVENT_FAILURE_REASONS)[number];

/**
 * The walk-event consumer's own business metrics, served on its own metrics port: it has no HTTP
 * traffic of its own to measure, so these are what says it is working.
 */
export function createConsumerMetrics(registry: Registry) {
  const { counter, histogram, gauge } = createMetricFactories(registry);
  const handled = counter({
    name: 'dogwalker_consumer_events_handled_total',
    help: 'Walk events the consumer handled, by type.',
    labelNames: ['type'],
  });
  const failures = counter({
    name: 'dogwalker_consumer_event_failures_total',
    help: 'Walk events the consumer could not handle, by reason.',
    labelNames: ['reason'],
  });
  const handling = histogram({
    name: 'dogwalker_consumer_event_handling_seconds',
    help: 'Time to handle one walk event, in seconds.',
    buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
  });
  const lag = gauge({
    name: 'dogwalker_consumer_lag_seconds',
    help: 'Age of the last walk event handled when it was handled: how far behind the app the consumer is.',
  });
  const readErrors = counter({
    name: 'dogwalker_consumer_read_errors_total',
    help: 'Reads of the walk-events stream that failed (Redis away); the consumer retries.',
  });
  // Every series at zero from the start, so rates exist before the first event.
  for (const type of WALK_EVENT_TYPES) handled.labels({ type }).inc(0);
  for (const reason of EVENT_FAILURE_REASONS) failures.labels({ reason }).inc(0);
  lag.set(0);
  return { handled, failures, handling, lag, readErrors };
}

export type ConsumerMetrics = ReturnType<typeof createConsumerMetrics>;
