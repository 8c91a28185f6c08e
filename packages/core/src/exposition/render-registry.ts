import type { Registry } from 'prom-client';
import {
  closeExposition,
  type ExpositionFormat,
  formatExposition,
  formatFamily,
  type MetricFamily,
} from './exposition-format.js';

interface Renderable {
  render(format: ExpositionFormat): string;
}

/** Every prom-client metric has `get()`, though its public type does not say so. */
interface Gettable {
  get(): Promise<unknown>;
}

/**
 * Marks a registry whose `getMetricsAsJSON()` is the whole truth (the cluster aggregator's):
 * it is rendered from there rather than metric by metric.
 */
export const RENDERS_FROM_JSON = Symbol.for('promenade.rendersFromJson');

function isRenderable(metric: unknown): metric is Renderable {
  return typeof (metric as Partial<Renderable>).render === 'function';
}

/**
 * The registry's exposition page. Metrics that can render themselves (core's HTTP
 * histograms) do, from label text escaped once; every other metric goes through its `get()`.
 */
export async function renderRegistry(registry: Registry, format: ExpositionFormat): Promise<string> {
  // Default labels are merged by getMetricsAsJSON only; with any set, take that path for all.
  const defaultLabels = (registry as unknown as { _defaultLabels?: object })._defaultLabels;
  const fromJson = (registry as unknown as { [RENDERS_FROM_JSON]?: boolean })[RENDERS_FROM_JSON] === true;
  if (fromJson || (defaultLabels && Object.keys(defaultLabels).length > 0)) {
    return formatExposition((await registry.getMetricsAsJSON()) as unknown as MetricFamily[], format);
  }
  const families = await Promise.all(
    registry
      .getMetricsAsArray()
      .map(async (metric) =>
        isRenderable(metric)
          ? metric.render(format)
          : formatFamily((await (metric as unknown as Gettable).get()) as MetricFamily, format),
      ),
  );
  return closeExposition(families.join('\n'), format);
}
