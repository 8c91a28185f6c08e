import { gauge } from '@promenade/core';
import { type ConflictContext, SeriesCounter, SeriesHistogram } from '@promenade/core/adapter';
import type { Gauge } from 'prom-client';
import type { ResolvedCacheOptions } from '../options.js';
import { CACHE_METRIC_NAMES as NAMES, PACKAGE_NAME } from './metric-names.js';

/** Whether a client is ready, read at scrape time, by its (backend, cache). */
export type ConnectionProbes = Map<string, { backend: string; cache: string; ready: () => boolean }>;

// Keyed by the gauge, so that whichever instrumentation registered it, its collect finds every
// client the later ones add.
const probesOf = new WeakMap<object, ConnectionProbes>();

/** The probes the connected gauge reads, created with the gauge. */
export function connectionProbes(families: CacheFamilies): ConnectionProbes {
  let probes = probesOf.get(families.connected);
  if (probes === undefined) {
    probes = new Map();
    probesOf.set(families.connected, probes);
  }
  return probes;
}

const CONTEXT: ConflictContext = { packageName: PACKAGE_NAME, remedy: 'choose another "prefix"' };
const CACHE_LABELS = ['backend', 'cache'] as const;
const COMMAND_LABELS = ['backend', 'cache', 'command'] as const;

/**
 * Every family of the cache schema on one registry and prefix, defined by the first
 * instrumentation and reused by the others. No family is capped: every label value comes from
 * the code (backend, command, error type) or from an option written once (the cache's name).
 */
export interface CacheFamilies {
  readonly gets: SeriesCounter;
  readonly hits: SeriesCounter;
  readonly misses: SeriesCounter;
  readonly getFailures: SeriesCounter;
  readonly sets: SeriesCounter;
  readonly deletes: SeriesCounter;
  readonly operations: SeriesCounter;
  readonly duration: SeriesHistogram;
  readonly errors: SeriesCounter;
  readonly connected: Gauge<'backend' | 'cache'>;
  readonly reconnects: SeriesCounter;
}

export function defineCacheFamilies(options: ResolvedCacheOptions): CacheFamilies {
  const { registry, prefix } = options;
  const counter = (name: string, help: string, labelNames: readonly string[] = CACHE_LABELS) =>
    SeriesCounter.define({ name: prefix + name, help, labelNames, registry }, CONTEXT);
  return {
    gets: counter(NAMES.gets, 'Keys looked up in the cache.'),
    hits: counter(NAMES.hits, 'Keys looked up and found in the cache.'),
    misses: counter(NAMES.misses, 'Keys looked up and not found in the cache.'),
    getFailures: counter(NAMES.getFailures, 'Keys whose look-up failed (the cache did not answer).'),
    sets: counter(NAMES.sets, 'Keys written to the cache.'),
    deletes: counter(NAMES.deletes, 'Keys the application asked the cache to delete.'),
    operations: counter(NAMES.operations, 'Cache commands sent, by command.', COMMAND_LABELS),
    duration: SeriesHistogram.define(
      {
        name: prefix + NAMES.operationDuration,
        help: 'Time from sending a cache command to its reply, in seconds, by command.',
        labelNames: COMMAND_LABELS,
        // A copy: the resolved options are frozen, and a frozen array's elements are read on a
        // slower path in optimized code, here on every observation.
        buckets: [...options.buckets],
        registry,
      },
      { ...CONTEXT, optionPaths: { buckets: 'buckets' } },
    ),
    errors: counter(NAMES.operationErrors, 'Cache commands that failed, by command and error type.', [
      ...COMMAND_LABELS,
      'error_type',
    ]),
    connected: gauge({
      name: prefix + NAMES.connected,
      help: 'Whether the cache client is connected and ready (1) or not (0), when scraped.',
      labelNames: [...CACHE_LABELS],
      registry,
      collect(this: Gauge<'backend' | 'cache'>) {
        for (const { backend, cache, ready } of probesOf.get(this)?.values() ?? []) {
          let value = 0;
          try {
            value = ready() ? 1 : 0;
          } catch {
            // A client that cannot say is not ready.
          }
          this.labels({ backend, cache }).set(value);
        }
      },
    }),
    reconnects: counter(NAMES.reconnects, 'Times the cache client started reconnecting.'),
  };
}
