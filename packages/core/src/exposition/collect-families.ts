import type { Registry } from 'prom-client';
import type { Exposable, ExposedFamily, MetricFamily } from './exposed-family.js';
import type { ExpositionWriter } from './exposition-writer.js';
import { histogramFromSamples } from './histogram-from-samples.js';
import { listSeriesStarts, type StartOf } from './series-starts.js';

/** Every prom-client metric has `get()`, though its public type does not say so. */
interface Gettable {
  get(): Promise<unknown>;
}

/**
 * Marks a registry whose `getMetricsAsJSON()` is the whole truth (the cluster aggregator's):
 * its families are taken from there rather than metric by metric.
 */
export const EXPOSED_FROM_JSON = Symbol.for('promenade.exposedFromJson');

/**
 * On a registry marked EXPOSED_FROM_JSON, the families of its page, when they carry more than its
 * `getMetricsAsJSON()` (the aggregator's own metrics with their starts, copied: its JSON is also
 * read by a reporter above it, which knows prom-client's counters by their entries).
 */
export const PAGE_FAMILIES = Symbol.for('promenade.pageFamilies');

function isExposable(metric: unknown): metric is Exposable {
  return typeof (metric as Partial<Exposable>).expose === 'function';
}

/**
 * prom-client's families, handed to writers as they are; native histograms as histograms.
 * `startsOf` gives a family's series starts, where core notes them (business metrics).
 */
export function exposeJson(
  families: readonly MetricFamily[],
  startsOf: (name: string) => StartOf | undefined = () => undefined,
): ExposedFamily[] {
  return families.map((family) => exposeSamples(family, startsOf(family.name)));
}

function exposeSamples(family: MetricFamily, startOf: StartOf | undefined): ExposedFamily {
  return histogramFromSamples(family, startOf) ?? { kind: 'samples', family, startOf };
}

/**
 * The registry's families for a writer. Metrics that expose themselves (core's series
 * families) do, with label text escaped once; every other metric goes through its `get()`.
 */
export async function collectFamilies(registry: Registry): Promise<ExposedFamily[]> {
  // Default labels are merged by getMetricsAsJSON only; with any set, take that path for all.
  const defaultLabels = (registry as unknown as { _defaultLabels?: object })._defaultLabels;
  const fromJson = (registry as unknown as { [EXPOSED_FROM_JSON]?: boolean })[EXPOSED_FROM_JSON] === true;
  if (fromJson) {
    const page = (registry as unknown as { [PAGE_FAMILIES]?: () => Promise<MetricFamily[]> })[PAGE_FAMILIES];
    const families = page ? await page.call(registry) : await registry.getMetricsAsJSON();
    return exposeJson(families as unknown as MetricFamily[]);
  }
  if (defaultLabels && Object.keys(defaultLabels).length > 0) {
    const families = (await registry.getMetricsAsJSON()) as unknown as MetricFamily[];
    return exposeJson(families, (name) => {
      const metric = registry.getSingleMetric(name);
      return metric && listSeriesStarts(metric);
    });
  }
  return Promise.all(
    registry.getMetricsAsArray().map(async (metric): Promise<ExposedFamily> => {
      if (isExposable(metric)) return metric.expose();
      const family = (await (metric as unknown as Gettable).get()) as MetricFamily;
      // Listed after get(): every series of the samples existed by then.
      return exposeSamples(family, listSeriesStarts(metric));
    }),
  );
}

/** The registry's page, in the writer's format. */
export async function writeRegistry(registry: Registry, writer: ExpositionWriter): Promise<Buffer> {
  return writer.write(await collectFamilies(registry));
}
