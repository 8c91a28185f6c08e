import type { Registry } from 'prom-client';

export interface CacheMetricsOptions {
  /** Default: prom-client's global registry. */
  registry?: Registry;
  /** Prepended to every metric name. Default: none. */
  prefix?: string;
  /** The duration histogram's upper bounds, in seconds. Default: DEFAULT_CACHE_BUCKETS. */
  buckets?: readonly number[];
  /** The `cache` label: which of the application's caches this is. Default: `default`. */
  name?: string;
  /**
   * Where a failure of the instrumentation itself is said (at most once a minute per kind);
   * it is never thrown into the application. Default: console.error.
   */
  logFailure?: (message: string, error: unknown) => void;
}

/** Keyv's and cache-manager's options: the shared ones, and whether every call is timed. */
export interface KeyvMetricsOptions extends CacheMetricsOptions {
  /**
   * Time every call into `cache_operation_duration_seconds`. Default: true for a remote store
   * (`@keyv/redis`, any store but the in-memory Map), false for the in-memory Map, whose calls
   * are counted from Keyv's own reports and not timed: timing a Map look-up costs more than the
   * look-up, and its nanoseconds say nothing an operator can act on.
   */
  latency?: boolean;
}
