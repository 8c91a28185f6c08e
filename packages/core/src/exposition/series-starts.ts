/**
 * Start times for a prom-client counter's, histogram's or summary's series, which prom-client
 * does not keep: a lower bound read at scrape time, never per call. Why a lower bound and which:
 * docs/architecture.md, "Start timestamps".
 */

/** The symbol under which core's `counter()`, `histogram()` and `summary()` keep their starts. */
export const SERIES_STARTS = Symbol.for('promenade.seriesStarts');

/** A series' labels as a sample carries them (a histogram's `le`, a summary's `quantile` ignored). */
type SampleLabels = Readonly<Record<string, unknown>> | undefined;

/** What prom-client holds per series: one entry object per label set, kept until reset or remove. */
interface Entry {
  labels?: Readonly<Record<string, unknown>>;
}

interface ListedMetric {
  hashMap?: Readonly<Record<string, Entry>>;
}

/** The start of each series of one listing, by its labels; undefined for one not listed. */
export type StartOf = (labels: SampleLabels) => number | undefined;

export class SeriesStarts {
  /**
   * Every series that appears in a listing without having appeared in the one before began after
   * this: the metric's creation, its last reset, or that listing.
   */
  private listedAt: number;
  /** Start per prom-client entry: a removed label set comes back as a new entry, a new start. */
  private readonly starts = new WeakMap<Entry, number>();
  private readonly labelNames: readonly string[];

  constructor(labelNames: readonly string[], now: number) {
    this.labelNames = labelNames;
    this.listedAt = now;
  }

  /** prom-client's reset() replaced every entry: the next listing's series began after `now`. */
  reset(now: number): void {
    this.listedAt = now;
  }

  /** Lists the metric's entries (a scrape), giving each new one its start, and looks them up. */
  list(metric: object, now: number): StartOf {
    const entries = (metric as ListedMetric).hashMap ?? {};
    const byKey = new Map<string, number>();
    for (const hash in entries) {
      const entry = entries[hash]!;
      let start = this.starts.get(entry);
      if (start === undefined) {
        start = this.listedAt;
        this.starts.set(entry, start);
      }
      byKey.set(this.keyOf(entry.labels), start);
    }
    this.listedAt = now;
    return (labels) => byKey.get(this.keyOf(labels));
  }

  private keyOf(labels: SampleLabels): string {
    let key = '';
    for (const name of this.labelNames) key += `${String(labels?.[name] ?? '')}\u0000`;
    return key;
  }
}

/**
 * Notes start times for a prom-client metric just made: from now, moved by its `reset()` (which
 * `registry.resetMetrics()` calls too). A removed label set needs nothing: it comes back as a new
 * entry, which the next listing finds.
 */
export function trackSeriesStarts(metric: object, labelNames: readonly string[]): void {
  const starts = new SeriesStarts(labelNames, Date.now());
  const resettable = metric as { reset(): void };
  const reset = resettable.reset;
  Object.defineProperty(metric, 'reset', {
    configurable: true,
    writable: true,
    value: function resetAndRestart(this: object) {
      reset.call(this);
      starts.reset(Date.now());
    },
  });
  Object.defineProperty(metric, SERIES_STARTS, { value: starts });
}

/** The starts of a metric's series as of now, if core notes them for it. */
export function listSeriesStarts(metric: object): StartOf | undefined {
  const starts = (metric as { [SERIES_STARTS]?: SeriesStarts })[SERIES_STARTS];
  return starts?.list(metric, Date.now());
}

interface JsonFamily {
  name: string;
  values: readonly { labels?: Readonly<Record<string, unknown>>; created?: number }[];
}

/**
 * `registry.getMetricsAsJSON()`'s families with their business series' starts on each sample, for
 * a page made from JSON that mixes registries (the cluster primary's own metrics). The samples are
 * copied: prom-client hands a counter's own entries.
 */
export function withSeriesStarts<F extends JsonFamily>(
  registry: { getSingleMetric(name: string): object | undefined },
  families: F[],
): F[] {
  return families.map((family) => {
    const metric = registry.getSingleMetric(family.name);
    const startOf = metric && listSeriesStarts(metric);
    if (!startOf) return family;
    const values = family.values.map((value) => ({ ...value, created: startOf(value.labels) }));
    return { ...family, values };
  });
}
