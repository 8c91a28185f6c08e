import type Keyv from 'keyv';
import type { Registry } from 'prom-client';
import { readThrough } from '../cache/read-through.js';
import type { Outcome } from '../domain/outcome.js';

/** The families the page's live panel draws. */
export const PANEL_METRICS = [
  'http_request_duration_seconds',
  'dogwalker_walks_started_total',
  'dogwalker_walks_completed_total',
  'dogwalker_invalid_walk_attempts_total',
  'dogwalker_walk_distance_meters',
  'dogwalker_walks_in_progress',
  // The page's cache hit ratio, over both caches.
  'cache_get_total',
  'cache_get_hits_total',
] as const;

/**
 * The panel's data is read from the cache for this long: several pages open at once (or a page
 * and the simulator) read the registry once a second at most.
 */
const PANEL_TTL_MS = 1_000;

export type PanelReader = () => Promise<Outcome>;

/**
 * The panel's data: the current values of a few families, read from the app's own registry, the
 * one `/metrics` renders. The page computes rates and percentiles from successive reads, as
 * Prometheus would from successive scrapes; it keeps no count of its own. This route shows only
 * these families, and is open; the full `/metrics` stays behind its credentials.
 */
export function createPanelReader(registry: Registry, cache: Keyv): PanelReader {
  const read = async () => {
    const families = await Promise.all(
      PANEL_METRICS.map(async (name) => {
        const metric = registry.getSingleMetric(name);
        return metric ? metric.get() : undefined;
      }),
    );
    return {
      status: 200,
      body: {
        time: Date.now(),
        metrics: Object.fromEntries(
          families
            .filter((family) => family !== undefined)
            .map((family) => [family.name, { type: family.type, values: family.values }]),
        ),
      },
    };
  };
  return () => readThrough(cache, 'panel', PANEL_TTL_MS, read);
}
