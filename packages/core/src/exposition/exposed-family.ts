/**
 * What a family hands to an exposition writer: its name, help and series, in a shape no format
 * owns. Core's families hand a view of their live series, read when the writer writes: a writer
 * writes synchronously, so nothing records meanwhile and each series reads whole, and a view
 * costs no copy. Why writers: docs/architecture.md, "Rendering".
 */

/**
 * The shape of one entry of prom-client's `registry.getMetricsAsJSON()`. A native histogram of
 * core's carries its buckets on its `_count` sample (`native`), which prom-client's own page ignores.
 */
export interface MetricFamily {
  name: string;
  help: string;
  type: string;
  values: readonly {
    value: number;
    labels?: Readonly<Record<string, unknown>>;
    metricName?: string;
    native?: NativeBuckets;
    /** prom-client's exemplar (`enableExemplars`), or one the cluster primary carried. */
    exemplar?: unknown;
    /** When the series started counting (ms since the epoch), where the cluster primary knows it. */
    created?: number;
  }[];
}

/**
 * One exemplar: an observation kept with the labels that point at where it came from (a trace's
 * `trace_id` and `span_id`). A histogram keeps the newest per bucket, a counter the newest per
 * series, so memory is bounded by the buckets. Why this shape: docs/architecture.md, "Exemplars".
 */
export interface Exemplar {
  readonly labels: Readonly<Record<string, string>>;
  /** `name="value",...` escaped once, as the OpenMetrics page writes it. */
  readonly labelText: string;
  readonly value: number;
  /** When it was observed, in milliseconds since the epoch. */
  readonly timestamp: number;
}

/** The labels of an exemplar, as the caller or the active trace gives them. */
export type ExemplarLabels = Readonly<Record<string, string>>;

/** One series' labels, and the same labels escaped once for the text formats. */
export interface ExposedSeries {
  readonly labels: Readonly<Record<string, string>>;
  /** `name="value",...` as both text formats escape it (they agree on label values); '' for none. */
  readonly labelText: string;
  /**
   * When the series started counting (created, or last reset), in milliseconds since the epoch:
   * protobuf's `created_timestamp`, OpenMetrics' `_created` when asked for. Absent when unknown.
   */
  readonly created?: number;
}

export interface ExposedCounterSeries extends ExposedSeries {
  readonly value: number;
  readonly exemplar?: Exemplar | undefined;
}

export interface BucketSpan {
  readonly offset: number;
  readonly length: number;
}

/** A native histogram's buckets exactly as metrics.proto's Histogram carries them. */
export interface NativeBuckets {
  readonly schema: number; // -4..8
  readonly zeroThreshold: number;
  readonly zeroCount: number;
  readonly positiveSpans: readonly BucketSpan[];
  readonly positiveDeltas: readonly number[]; // first absolute, then deltas, as in metrics.proto
  readonly negativeSpans: readonly BucketSpan[];
  readonly negativeDeltas: readonly number[];
}

export interface ExposedHistogramSeries extends ExposedSeries {
  /** Observations per bucket, not cumulative: one per upper bound, then the +Inf bucket. */
  readonly counts: ArrayLike<number>;
  readonly sum: number;
  readonly count: number;
  /**
   * The native buckets, when the histogram keeps them. A histogram with native buckets only has
   * `upperBounds = []` and `counts = [count]` (the +Inf bucket); the text formats write that.
   */
  readonly native?: NativeBuckets;
  /**
   * The newest exemplar of each classic bucket, in the order of `counts` (the +Inf bucket
   * last); absent or undefined when the series keeps none.
   */
  readonly exemplars?: readonly (Exemplar | undefined)[] | undefined;
}

/** A counter; `name` is the metric's, `_total` included. */
export interface ExposedCounter {
  readonly kind: 'counter';
  readonly name: string;
  readonly help: string;
  readonly series: Iterable<ExposedCounterSeries>;
}

export interface ExposedHistogram {
  readonly kind: 'histogram';
  readonly name: string;
  readonly help: string;
  /** Finite upper bounds, ascending; the +Inf bucket is implied. */
  readonly upperBounds: readonly number[];
  readonly series: Iterable<ExposedHistogramSeries>;
}

/**
 * A family as prom-client gives it: flat samples, each with its own name and labels, in
 * prom-client's order (default labels after a bucket's `le`), which the text pages keep.
 */
export interface ExposedSamples {
  readonly kind: 'samples';
  readonly family: MetricFamily;
  /** The start of a sample's series, for the metrics core notes them for (business metrics). */
  readonly startOf?: ((labels: MetricFamily['values'][number]['labels']) => number | undefined) | undefined;
}

export type ExposedFamily = ExposedCounter | ExposedHistogram | ExposedSamples;

/** A registered metric that hands its series to writers itself (core's series families). */
export interface Exposable {
  expose(): ExposedFamily;
}
