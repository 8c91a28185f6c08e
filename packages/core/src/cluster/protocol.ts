import type { NativeBuckets } from '../exposition/exposed-family.js';

/**
 * The messages between the primary and its workers, kept small: a worker names each family and
 * each series once (an id per series), and then sends only the values that changed since its
 * last message, as a flat array of id, value pairs. JSON has no NaN or infinities, so those travel
 * as strings. A histogram's native buckets travel whole, on its `_count` series, when they changed;
 * an exemplar when its series has a newer one. A background refresh (`held`) is answered only when
 * a value changed, so an idle worker sends nothing.
 */
export const CHANNEL = 'promenade.cluster';

/** How the primary combines one family's series across workers. */
export type Aggregation = 'sum' | 'max' | 'min' | 'average' | 'mostRecent' | 'perWorker' | 'omit';

export const AGGREGATIONS: readonly Aggregation[] = [
  'sum',
  'max',
  'min',
  'average',
  'mostRecent',
  'perWorker',
  'omit',
];

/** An exemplar as prom-client puts it on a sample (time in seconds), and as it travels. */
export interface WireExemplar {
  labelSet: Record<string, string>;
  value: number;
  timestamp: number;
}

/** [index in the worker, name, help, type, aggregation] */
export type FamilyDefinition = [number, string, string, string, Aggregation];
/** [series id, family index, sample name (0 when the family's own), labels] */
export type SeriesDefinition = [number, number, string | 0, Record<string, string | number>];

export interface PrimaryMessage {
  channel: typeof CHANNEL;
  /** `probe`: workers that report answer `hello`; `collect`: answer with a snapshot. */
  kind: 'probe' | 'collect';
  request?: number;
  /**
   * A background refresh: answer from the series already named, reading only the values the
   * reporter holds live (no collection), and only if one changed. Carries no `request`.
   */
  held?: true;
}

export interface WorkerMessage {
  channel: typeof CHANNEL;
  kind: 'hello' | 'snapshot';
  /** The collect request this answers; absent for a worker's own last message. */
  request?: number;
  families?: FamilyDefinition[];
  series?: SeriesDefinition[];
  /** Series ids gone since the last snapshot; their ids may be given to new series. */
  removed?: number[];
  /** id, value, id, value... */
  values?: (number | string)[];
  /** The native buckets of `_count` series that changed, by series id. */
  natives?: [number, NativeBuckets][];
  /** Exemplars newer than the last sent, by series id (a histogram's bucket, a counter). */
  exemplars?: [number, WireExemplar][];
  /**
   * The worker forgot what it had sent (a new aggregator probed it) and names everything again:
   * the primary drops its copy of the worker, without counting it as gone, before applying this.
   */
  reset?: boolean;
  /** Collection failed in the worker; the message says why. */
  error?: string;
  /**
   * When the reporting process started, in milliseconds since the epoch: everything it counts came
   * after. Sent with every message that names series, for the start of those series.
   */
  startedAt?: number;
}

export function isMessage<T extends PrimaryMessage | WorkerMessage>(value: unknown): value is T {
  return (value as { channel?: unknown } | null)?.channel === CHANNEL;
}

export function encodeValue(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

export function decodeValue(value: number | string | null): number {
  if (typeof value === 'number') return value;
  return value === null ? Number.NaN : Number(value);
}

/** The symbol under which core's `gauge()` keeps a gauge's declared aggregation. */
export const AGGREGATION_KEY = Symbol.for('promenade.clusterAggregation');
