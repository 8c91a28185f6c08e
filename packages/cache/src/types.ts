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
