import type { Registry } from 'prom-client';
import type { Outcome } from '../domain/outcome.js';

/** The families the page's live panel draws. */
export const PANEL_METRICS = [
  'http_request_duration_seconds',
  'dogwalker_walks_started_total',
  'dogwalker_walks_completed_total',
  'dogwalker_invalid_walk_attempts_total',
  'dogwalker_walk_distance_meters',
  'dogwalker_walks_in_progress',
] as const;

export type PanelReader = () => Promise<Outcome>;

/**
 * The panel's data: the current values of a few families, read from the app's own registry, the
 * one `/metrics` renders. The page computes rates and percentiles from successive reads, as
 * Prometheus would from successive scrapes; it keeps no count of its own. This route shows only
 * these families, and is open; the full `/metrics` stays behind its credentials.
 */
export function createPanelReader(registry: Registry): PanelReader {
  return async () => {
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
}
