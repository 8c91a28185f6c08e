import { register as globalRegistry, Registry } from 'prom-client';
import { EXPOSED_FROM_JSON, exposeJson, PAGE_FAMILIES } from '../exposition/collect-families.js';
import type { MetricFamily } from '../exposition/exposed-family.js';
import { withSeriesStarts } from '../exposition/series-starts.js';
import { TEXT_WRITER } from '../exposition/text-writer.js';
import { aggregateFamilies } from './aggregate-families.js';
import type { AggregatedFamily } from './aggregated-series.js';
import { CLUSTER_METRIC_NAMES, clusterFamilies, type ReportingFamilyNames } from './cluster-families.js';
import { CHANNEL, type PrimaryMessage, type WorkerMessage } from './protocol.js';
import type { ReporterLink } from './reporter-link.js';
import { WorkerSnapshot } from './worker-snapshot.js';

const HELD_REFRESH: PrimaryMessage = { channel: CHANNEL, kind: 'collect', held: true };

export interface AggregatingOptions {
  /**
   * The aggregating process's own metrics, served beside the reporters', as are metrics
   * registered on the aggregator itself. Default: prom-client's global registry.
   */
  registry?: Registry;
  timeoutMs?: number;
  refreshIntervalMs?: number;
  fullRefreshIntervalMs?: number;
}

interface PendingCollect {
  readonly request: number;
  readonly answered: Promise<void>;
  readonly resolve: () => void;
}

interface Reporter {
  readonly snapshot: WorkerSnapshot;
  pending: PendingCollect | undefined;
}

/**
 * A registry of many reporters (node:cluster workers, PM2 instances over a socket, threads):
 * reading it asks every reporter for its changes, waits at most `timeoutMs`, and serves the
 * combination of every reporter's last snapshot. Counters never go backwards: a reporter that
 * goes away or resets leaves its counts in a retained total. What carries the messages is the
 * subclass's: it calls `received` and `gone`.
 */
export class AggregatingRegistry extends Registry {
  readonly [EXPOSED_FROM_JSON] = true;
  private readonly own: Registry;
  private readonly timeoutMs: number;
  private readonly families = new Map<string, AggregatedFamily>();
  /** Label names and values, one copy for every reporter's series. */
  private readonly strings = new Map<string, string>();
  private readonly reporters = new Map<ReporterLink, Reporter>();
  private nextRequest = 1;
  private readonly timer: NodeJS.Timeout;
  private readonly fullRefreshIntervalMs: number;
  /** When every reporter was last asked for a full collection (a scrape or a full refresh). */
  private collectedAt = Date.now();
  private readonly names: ReportingFamilyNames;

  constructor(options: AggregatingOptions, names: ReportingFamilyNames = CLUSTER_METRIC_NAMES) {
    super();
    this.names = names;
    this.own = options.registry ?? globalRegistry;
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.fullRefreshIntervalMs = options.fullRefreshIntervalMs ?? 30_000;
    this.timer = setInterval(() => this.refreshAll(), options.refreshIntervalMs ?? 1000);
    this.timer.unref();
  }

  /** Stops refreshing; the registry keeps what it has. */
  stop(): void {
    clearInterval(this.timer);
    for (const reporter of this.reporters.values()) reporter.pending?.resolve();
    for (const reporter of this.reporters.values()) reporter.pending = undefined;
  }

  override async getMetricsAsJSON(): Promise<never[]> {
    return (await this.combinedFamilies(false)) as never[];
  }

  /** The page's families: with the start of this process's own series (see PAGE_FAMILIES). */
  async [PAGE_FAMILIES](): Promise<MetricFamily[]> {
    return this.combinedFamilies(true);
  }

  private async combinedFamilies(withStarts: boolean): Promise<MetricFamily[]> {
    await this.refreshForScrape();
    const now = Date.now();
    const snapshots = [...this.reporters.values()].map((reporter) => reporter.snapshot);
    const aggregated = aggregateFamilies(this.families.values(), snapshots);
    // Metrics registered on the aggregator itself (an adapter given it as its registry) are
    // this process's own too.
    let registered = (await super.getMetricsAsJSON()) as unknown as MetricFamily[];
    let own = (await this.own.getMetricsAsJSON()) as unknown as MetricFamily[];
    if (withStarts) {
      registered = withSeriesStarts(this, registered);
      own = withSeriesStarts(this.own, own);
    }
    if (registered.length > 0) own.push(...registered);
    // A reporter that aggregates reporters of its own hands up their families under other names
    // (threads in a cluster worker); one with these names would make the page invalid.
    const ownNames = new Set<string>(Object.values(this.names));
    const families = mergeOwn(
      aggregated.filter((family) => !ownNames.has(family.name)),
      own,
    );
    families.push(...clusterFamilies(snapshots, now, this.names));
    return families;
  }

  override async metrics(): Promise<string> {
    const families = (await this.getMetricsAsJSON()) as unknown as MetricFamily[];
    return (await TEXT_WRITER.write(exposeJson(families))).toString('utf8');
  }

  /** A message from a reporter: a `hello` is answered with a collect, a snapshot is applied. */
  protected received(link: ReporterLink, message: WorkerMessage): void {
    let reporter = this.reporters.get(link);
    if (!reporter) {
      reporter = { snapshot: new WorkerSnapshot(link.name, this.strings), pending: undefined };
      this.reporters.set(link, reporter);
    }
    if (message.kind === 'hello') {
      this.collect(link, reporter);
      return;
    }
    if (!message.error) reporter.snapshot.apply(message, this.families, Date.now());
    const pending = reporter.pending;
    if (pending && message.request !== undefined && message.request >= pending.request) {
      reporter.pending = undefined;
      pending.resolve();
    }
  }

  /** The reporter is gone (exited, killed, disconnected): its counts join the retained totals. */
  protected gone(link: ReporterLink): void {
    const reporter = this.reporters.get(link);
    if (!reporter) return;
    reporter.snapshot.fold();
    reporter.pending?.resolve();
    this.reporters.delete(link);
  }

  /** Asks the reporter for its changes unless a request is still open. */
  private collect(link: ReporterLink, reporter: Reporter): PendingCollect | undefined {
    if (reporter.pending) return reporter.pending;
    if (!link.isConnected()) return undefined;
    const request = this.nextRequest++;
    let resolve: () => void = () => {};
    const answered = new Promise<void>((settle) => {
      resolve = settle;
    });
    reporter.pending = { request, answered, resolve };
    link.send({ channel: CHANNEL, kind: 'collect', request });
    return reporter.pending;
  }

  /**
   * The background refresh: most ticks ask only for the changes of what the reporters hold
   * (cheap, and nothing at all from an idle one); a full collection, which also finds new series
   * and prom-client's histograms and summaries, only when no scrape asked for one lately.
   */
  private refreshAll(): void {
    if (Date.now() - this.collectedAt >= this.fullRefreshIntervalMs) {
      this.collectedAt = Date.now();
      for (const [link, reporter] of this.reporters) this.collect(link, reporter);
      return;
    }
    for (const [link, reporter] of this.reporters) {
      // A reporter still busy with a collection is not asked again: a hung one would pile them up.
      if (!reporter.pending && link.isConnected()) link.send(HELD_REFRESH);
    }
  }

  /** Every reporter answers, or is served from its last snapshot after the time limit. */
  private async refreshForScrape(): Promise<void> {
    this.collectedAt = Date.now();
    const waits: Promise<void>[] = [];
    for (const [link, reporter] of this.reporters) {
      const pending = this.collect(link, reporter);
      if (!pending) continue;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), this.timeoutMs);
      });
      waits.push(
        Promise.race([pending.answered.then(() => false), late]).then((timedOut) => {
          clearTimeout(timer);
          if (timedOut) reporter.snapshot.scrapeFailures += 1;
        }),
      );
    }
    await Promise.all(waits);
  }
}

/**
 * The aggregating process's own families beside the reporters': a family both have gets its
 * samples added (with worker="primary" when the family is served per worker).
 */
function mergeOwn(aggregated: MetricFamily[], own: readonly MetricFamily[]): MetricFamily[] {
  const byName = new Map(aggregated.map((family) => [family.name, family]));
  for (const family of own) {
    const shared = byName.get(family.name);
    if (!shared) {
      aggregated.push(family);
      continue;
    }
    const perWorker = shared.values.some((value) => value.labels && 'worker' in value.labels);
    const values = perWorker
      ? family.values.map((value) => ({ ...value, labels: { ...value.labels, worker: 'primary' } }))
      : family.values;
    byName.set(family.name, { ...shared, values: [...shared.values, ...values] });
    aggregated[aggregated.indexOf(shared)] = byName.get(family.name)!;
  }
  return aggregated;
}
