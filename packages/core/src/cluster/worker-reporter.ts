import cluster from 'node:cluster';
import type { Registry } from 'prom-client';
import type { MetricFamily } from '../exposition/exposed-family.js';
import {
  AGGREGATION_KEY,
  type Aggregation,
  CHANNEL,
  encodeValue,
  type FamilyDefinition,
  isMessage,
  type PrimaryMessage,
  type SeriesDefinition,
  type WireExemplar,
  type WorkerMessage,
} from './protocol.js';

type Sample = MetricFamily['values'][number];

interface FamilyRecord {
  readonly index: number;
  /**
   * prom-client's counters and gauges hand out their own live entries as samples, the same
   * object at every collection: such a series is known by its entry, which also gives its value
   * between collections. Other samples (prom-client's histograms and summaries, core's families)
   * are new objects at every collection, known by a key made of their name and labels.
   */
  readonly live: boolean;
  /** Series ids by entry or key. What is known of a series lives in the reporter's arrays, by id. */
  readonly series: Map<Sample | string, number>;
}

/** A family that can give its values synchronously (core's own families), which an exiting process needs. */
interface SyncFamily {
  snapshot(): MetricFamily;
}

/** Names of prom-client's default metrics (and core's): per process, so per worker. */
const PROCESS_METRIC = /^(process|nodejs)_/;

function seriesKey(sample: Sample): string {
  const parts = [sample.metricName ?? ''];
  const labels = sample.labels;
  if (labels) for (const name in labels) parts.push(name, String(labels[name]));
  // Joined, the key is one flat string; built with +=, it would stay a tree of its pieces, kept
  // for the series' life (several times the memory of the series itself).
  return parts.join('\u0000');
}

function sameValue(a: number | undefined, b: number): boolean {
  return a === b || (a !== undefined && Number.isNaN(a) && Number.isNaN(b));
}

function defaultLabelsOf(registry: Registry): Readonly<Record<string, string>> | undefined {
  const labels = (registry as unknown as { _defaultLabels?: Record<string, string> })._defaultLabels;
  return labels && Object.keys(labels).length > 0 ? labels : undefined;
}

/**
 * What carries a reporter's messages: a node:cluster worker's IPC channel, a socket to a PM2
 * metrics process, a thread's channel to the main thread. A transport that connects to a new
 * aggregator hands the reporter a `probe`, as a new node:cluster aggregator does.
 */
export interface ReporterTransport {
  /** Delivers the aggregator's messages to `onMessage` from now on. */
  listen(onMessage: (message: unknown) => void): void;
  unlisten(): void;
  /** Sends if the channel is open, else drops the message; never throws. */
  send(message: WorkerMessage): void;
}

/** A node:cluster worker's IPC channel to its primary. */
const clusterTransport = (): ReporterTransport => {
  let listener: ((message: unknown) => void) | undefined;
  return {
    listen(onMessage) {
      listener = onMessage;
      process.on('message', onMessage);
    },
    unlisten() {
      if (listener) process.off('message', listener);
    },
    send(message) {
      if (!process.connected || !process.send) return;
      // The callback swallows a channel closed meanwhile; the primary then uses what it has.
      process.send(message, undefined, {}, () => {});
    },
  };
};

/**
 * The reporting side: answers the aggregator's collect requests with the changes since its last
 * answer, and sends a last message when the process (or thread) exits cleanly.
 */
export class WorkerReporter {
  readonly registries = new Set<Registry>();
  private readonly transport: ReporterTransport;
  private families = new Map<string, FamilyRecord>();
  private freeIds: number[] = [];
  private nextId = 0;
  // Per series id, in arrays rather than an object per series: a reporter holds as many series
  // as the application does, and an object each would double what they cost.
  /** The value the primary has. */
  private sent: number[] = [];
  /** The collection that last saw the series. */
  private seen: number[] = [];
  /** The native buckets the primary has (a histogram's views are kept until they change). */
  private sentNative: (object | undefined)[] = [];
  /** The time of the exemplar the primary has (prom-client updates its exemplar in place). */
  private sentExemplarAt: (number | undefined)[] = [];
  /**
   * The live entry of a prom-client counter's or gauge's series (see `FamilyRecord.live`), for
   * the refresh to read: a plain array walks in a fraction of the time the families' maps take.
   */
  private liveEntries: (Sample | undefined)[] = [];
  /** Set by `seriesOf` when it names a series: its value goes out whatever it is. */
  private named = false;
  private forgotten = false;
  private generation = 0;
  private queue: Promise<void> = Promise.resolve();

  private readonly onMessage = (message: unknown) => {
    if (!isMessage<PrimaryMessage>(message)) return;
    if (message.kind === 'probe') {
      // A new aggregator knows nothing yet: the next answer names every family and series.
      this.queue = this.queue.then(() => this.forget());
      this.send({ channel: CHANNEL, kind: 'hello' });
    }
    if (message.kind === 'collect') {
      // One collection at a time, so every answer is a change against the one before it.
      this.queue = this.queue.then(message.held ? this.answerHeld : () => this.answer(message.request));
    }
  };

  /**
   * A background refresh reads what the reporter holds, as an exit does, with no collection: an
   * idle worker computes next to nothing and sends nothing.
   */
  private readonly answerHeld = () => {
    try {
      const message = this.heldDelta();
      if (message) this.send(message);
    } catch {
      // The next scrape collects in full and reports a failure if there is one.
    }
  };

  private readonly onExit = () => {
    try {
      const message = this.heldDelta();
      if (message) this.send(message);
    } catch {
      // Nothing can be reported from an exiting process.
    }
  };

  constructor(transport: ReporterTransport) {
    this.transport = transport;
  }

  start(): void {
    this.transport.listen(this.onMessage);
    process.on('exit', this.onExit);
    this.send({ channel: CHANNEL, kind: 'hello' });
  }

  stop(): void {
    this.transport.unlisten();
    process.off('exit', this.onExit);
  }

  private forget(): void {
    this.families = new Map();
    this.freeIds = [];
    this.nextId = 0;
    this.sent = [];
    this.seen = [];
    this.sentNative = [];
    this.sentExemplarAt = [];
    this.liveEntries = [];
    this.forgotten = true;
  }

  private send(message: WorkerMessage): void {
    this.transport.send(message);
  }

  private async answer(request: number | undefined): Promise<void> {
    let message: WorkerMessage;
    try {
      const collected = await Promise.all(
        [...this.registries].map((registry) => registry.getMetricsAsJSON()),
      );
      message = this.delta(collected.flat() as unknown as MetricFamily[], request, true);
    } catch (error) {
      message = {
        channel: CHANNEL,
        kind: 'snapshot',
        request,
        error: error instanceof Error ? error.message : String(error),
      };
    }
    this.send(message);
  }

  private aggregationOf(family: MetricFamily & { aggregator?: string }): Aggregation {
    const metric = this.metricNamed(family.name) as Record<PropertyKey, unknown> | undefined;
    const declared = metric?.[AGGREGATION_KEY] as Aggregation | undefined;
    if (declared) return declared;
    if (PROCESS_METRIC.test(family.name)) return 'perWorker';
    if (family.type !== 'gauge') return family.type === 'untyped' ? 'perWorker' : 'sum';
    switch (family.aggregator) {
      case 'min':
      case 'max':
      case 'average':
      case 'omit':
        return family.aggregator;
      case 'first':
        return 'mostRecent';
      default:
        // A gauge that computes its value at scrape time reads shared state (a database, a
        // queue): every worker reports the same thing, and a sum would count it once per worker.
        return typeof metric?.collect === 'function' ? 'mostRecent' : 'sum';
    }
  }

  private metricNamed(name: string): unknown {
    for (const registry of this.registries) {
      const metric = registry.getSingleMetric(name);
      if (metric) return metric;
    }
    return undefined;
  }

  /**
   * What changed since the last message: new families and series (named once), removed series,
   * and changed values. `complete` collections also find the series that are gone.
   */
  private delta(
    families: readonly MetricFamily[],
    request: number | undefined,
    complete: boolean,
  ): WorkerMessage {
    const generation = ++this.generation;
    const familyDefinitions: FamilyDefinition[] = [];
    const seriesDefinitions: SeriesDefinition[] = [];
    const values: (number | string)[] = [];
    const natives: [number, NonNullable<Sample['native']>][] = [];
    const exemplars: [number, WireExemplar][] = [];
    for (const family of families) {
      let record = this.families.get(family.name);
      if (!record) {
        const metric = this.metricNamed(family.name) as Partial<SyncFamily> | undefined;
        record = {
          index: this.families.size,
          // Only a prom-client counter or gauge found by name is known to hand out the same
          // entries at every collection: a family served through another registry (a thread
          // aggregator's own, say) gives new objects each time, which must be known by key.
          live:
            (family.type === 'counter' || family.type === 'gauge') &&
            metric !== undefined &&
            typeof metric.snapshot !== 'function',
          series: new Map(),
        };
        this.families.set(family.name, record);
        familyDefinitions.push([
          record.index,
          family.name,
          family.help,
          family.type,
          this.aggregationOf(family),
        ]);
      }
      for (const sample of family.values) {
        const id = this.seriesOf(record, sample, seriesDefinitions);
        this.seen[id] = generation;
        if (this.named || !sameValue(this.sent[id], sample.value)) {
          this.sent[id] = sample.value;
          values.push(id, encodeValue(sample.value));
        }
        if (sample.native !== undefined && sample.native !== this.sentNative[id]) {
          this.sentNative[id] = sample.native;
          natives.push([id, sample.native]);
        }
        if (sample.exemplar) this.sendExemplar(id, sample.exemplar, exemplars);
      }
    }
    const removed = complete ? this.removeUnseen(generation) : [];
    const message: WorkerMessage = { channel: CHANNEL, kind: 'snapshot', request };
    if (this.forgotten) {
      message.reset = true;
      this.forgotten = false;
    }
    if (familyDefinitions.length > 0) message.families = familyDefinitions;
    if (removed.length > 0) message.removed = removed;
    if (seriesDefinitions.length > 0) {
      message.series = seriesDefinitions;
      message.startedAt = performance.timeOrigin;
    }
    if (values.length > 0) message.values = values;
    if (natives.length > 0) message.natives = natives;
    if (exemplars.length > 0) message.exemplars = exemplars;
    return message;
  }

  /** Queues the sample's exemplar when it is newer than the one the primary has. */
  private sendExemplar(id: number, kept: unknown, exemplars: [number, WireExemplar][]): void {
    const exemplar = kept as Partial<WireExemplar>;
    // prom-client's placeholder before a bucket's first exemplar has no value.
    if (typeof exemplar.value !== 'number' || typeof exemplar.timestamp !== 'number') return;
    if (exemplar.timestamp === this.sentExemplarAt[id]) return;
    this.sentExemplarAt[id] = exemplar.timestamp;
    exemplars.push([
      id,
      { labelSet: { ...exemplar.labelSet }, value: exemplar.value, timestamp: exemplar.timestamp },
    ]);
  }

  private seriesOf(family: FamilyRecord, sample: Sample, definitions: SeriesDefinition[]): number {
    // A live entry replaced (prom-client's reset() or remove()) is a new series; the old one is
    // removed as unseen in the same answer, its counts kept by the primary.
    const key = family.live ? sample : seriesKey(sample);
    const known = family.series.get(key);
    this.named = known === undefined;
    if (known !== undefined) return known;
    const id = this.freeIds.pop() ?? this.nextId++;
    family.series.set(key, id);
    this.liveEntries[id] = family.live ? sample : undefined;
    definitions.push([id, family.index, sample.metricName ?? 0, { ...sample.labels } as SeriesDefinition[3]]);
    return id;
  }

  private removeUnseen(generation: number): number[] {
    const removed: number[] = [];
    for (const family of this.families.values()) {
      for (const [key, series] of family.series) {
        if (this.seen[series] === generation) continue;
        family.series.delete(key);
        this.liveEntries[series] = undefined;
        this.sentNative[series] = undefined;
        this.sentExemplarAt[series] = undefined;
        removed.push(series);
        this.freeIds.push(series);
      }
    }
    return removed;
  }

  /**
   * The changes read synchronously, at a background refresh or as the process exits: core's own
   * families in full, and every series whose last sample is a live prom-client entry (a counter's
   * or a gauge's). Undefined when nothing changed.
   */
  private heldDelta(): WorkerMessage | undefined {
    const families: MetricFamily[] = [];
    for (const registry of this.registries) {
      const defaults = defaultLabelsOf(registry);
      for (const metric of registry.getMetricsAsArray()) {
        const sync = metric as unknown as Partial<SyncFamily>;
        if (typeof sync.snapshot !== 'function') continue;
        const family = sync.snapshot();
        families.push(
          defaults
            ? {
                ...family,
                values: family.values.map((v) => ({ ...v, labels: { ...defaults, ...v.labels } })),
              }
            : family,
        );
      }
    }
    const message = this.delta(families, undefined, false);
    const values = message.values ?? [];
    const { liveEntries, sent } = this;
    for (let id = 0; id < liveEntries.length; id++) {
      const entry = liveEntries[id];
      if (entry === undefined || sameValue(sent[id], entry.value)) continue;
      sent[id] = entry.value;
      values.push(id, encodeValue(entry.value));
    }
    if (values.length > 0) message.values = values;
    // A reset must reach the aggregator even with nothing else: the next answer no longer says it.
    return message.values || message.series || message.natives || message.reset ? message : undefined;
  }
}

export interface ClusterWorkerReport {
  /** Stops reporting this registry; the last one stopped removes the process listeners. */
  stop(): void;
}

/**
 * One reporter per transport for the whole process, whatever the number of registries (an
 * adapter's and the application's own): `report(registry)` adds one, and the last one stopped
 * stops the reporter.
 */
export function sharedReporter(createTransport: () => ReporterTransport) {
  let reporter: WorkerReporter | undefined;
  return (registry: Registry): ClusterWorkerReport => {
    if (!reporter) {
      reporter = new WorkerReporter(createTransport());
      reporter.registries.add(registry);
      reporter.start();
    } else {
      reporter.registries.add(registry);
    }
    return {
      stop() {
        if (!reporter) return;
        reporter.registries.delete(registry);
        if (reporter.registries.size === 0) {
          reporter.stop();
          reporter = undefined;
        }
      },
    };
  };
}

const reportOverIpc = sharedReporter(clusterTransport);

/**
 * In a `node:cluster` worker, lets the primary's aggregation read `registry` (default:
 * prom-client's global registry). The adapters call it for their registry, so a worker that
 * uses one needs no call of its own. Outside a worker it does nothing.
 */
export function reportToClusterPrimary(registry: Registry): ClusterWorkerReport {
  if (!cluster.isWorker || !process.send) return { stop() {} };
  return reportOverIpc(registry);
}
