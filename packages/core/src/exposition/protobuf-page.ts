import protobuf from 'protobufjs/light.js';
import type {
  Exemplar,
  ExposedCounter,
  ExposedFamily,
  ExposedHistogram,
  ExposedHistogramSeries,
  ExposedSamples,
  MetricFamily,
  NativeBuckets,
} from './exposed-family.js';
import { METRICS_DESCRIPTOR } from './metrics-descriptor.js';
import { exemplarOfSample } from './sample-exemplar.js';

/**
 * The protobuf page: one length-delimited io.prometheus.client.MetricFamily per family, encoded
 * by protobufjs from the descriptor of Prometheus' own metrics.proto. Loaded only when a
 * scraper asks for protobuf (protobuf-writer.ts). Why this library and a descriptor:
 * docs/architecture.md, "Rendering".
 */

const MetricFamilyMessage = protobuf.Root.fromJSON(METRICS_DESCRIPTOR as protobuf.INamespace).lookupType(
  'io.prometheus.client.MetricFamily',
);

// metrics.proto's MetricType.
const COUNTER = 0;
const GAUGE = 1;
const SUMMARY = 2;
const UNTYPED = 3;
const HISTOGRAM = 4;

interface LabelPair {
  name: string;
  value: string;
}

interface ExemplarMessage {
  label: LabelPair[];
  value: number;
  timestamp: { seconds: number; nanos: number } | undefined;
}

interface BucketMessage {
  cumulativeCount: number;
  upperBound: number;
  exemplar?: ExemplarMessage;
}

type SampleLabels = Readonly<Record<string, unknown>> | undefined;
type Sample = MetricFamily['values'][number];
type StartOf = ExposedSamples['startOf'];

export function writeProtobufPage(families: readonly ExposedFamily[]): Buffer {
  const writer = protobuf.Writer.create();
  for (const family of families) MetricFamilyMessage.encodeDelimited(familyMessage(family), writer);
  const bytes = writer.finish();
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function familyMessage(family: ExposedFamily): object {
  switch (family.kind) {
    case 'counter':
      return counterFamily(family);
    case 'histogram':
      return histogramFamily(family);
    case 'samples':
      return samplesFamily(family.family, family.startOf);
  }
}

function labelPairs(labels: SampleLabels, skip?: string): LabelPair[] {
  const pairs: LabelPair[] = [];
  if (!labels) return pairs;
  for (const name in labels) {
    const value = labels[name];
    if (value === undefined || name === skip) continue;
    pairs.push({ name, value: String(value) });
  }
  return pairs;
}

/** google.protobuf.Timestamp of a time in milliseconds since the epoch. */
function timestamp(ms: number | undefined): { seconds: number; nanos: number } | undefined {
  if (ms === undefined) return undefined;
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

function exemplarMessage(exemplar: Exemplar): ExemplarMessage {
  return {
    label: labelPairs(exemplar.labels),
    value: exemplar.value,
    timestamp: timestamp(exemplar.timestamp),
  };
}

function counterFamily(family: ExposedCounter): object {
  const metric = [];
  for (const series of family.series) {
    const counter = {
      value: series.value,
      createdTimestamp: timestamp(series.created),
      exemplar: series.exemplar && exemplarMessage(series.exemplar),
    };
    metric.push({ label: labelPairs(series.labels), counter });
  }
  return { name: family.name, help: family.help, type: COUNTER, metric };
}

function histogramFamily(family: ExposedHistogram): object {
  const { upperBounds } = family;
  const metric = [];
  for (const series of family.series) {
    const bucket: BucketMessage[] = [];
    const { exemplars } = series;
    let cumulative = 0;
    for (let i = 0; i < upperBounds.length; i++) {
      cumulative += series.counts[i]!;
      const exemplar = exemplars?.[i];
      bucket.push(
        exemplar
          ? { cumulativeCount: cumulative, upperBound: upperBounds[i]!, exemplar: exemplarMessage(exemplar) }
          : { cumulativeCount: cumulative, upperBound: upperBounds[i]! },
      );
    }
    metric.push({ label: labelPairs(series.labels), histogram: histogramMessage(series, bucket) });
  }
  return { name: family.name, help: family.help, type: HISTOGRAM, metric };
}

function histogramMessage(series: ExposedHistogramSeries, bucket: BucketMessage[]): object {
  const message = {
    sampleCount: series.count,
    sampleSum: series.sum,
    bucket,
    createdTimestamp: timestamp(series.created),
  };
  if (!series.native) return message;
  // A native histogram's exemplars go in its own list: Prometheus reads no bucket's when it
  // reads the native buckets. The +Inf bucket's, which no bucket entry carries, goes there too.
  const exemplars: ExemplarMessage[] = [];
  for (const exemplar of series.exemplars ?? []) if (exemplar) exemplars.push(exemplarMessage(exemplar));
  return { ...message, ...nativeFields(series.native), exemplars };
}

/**
 * A native histogram's fields. One with no bucket yet (nothing observed, or all in the zero
 * bucket) gets an empty span, as Go's client gives it: without one, Prometheus would read a
 * histogram with a zero threshold of 0 as a classic one.
 */
function nativeFields(native: NativeBuckets): object {
  const empty = native.positiveSpans.length === 0 && native.negativeSpans.length === 0;
  return {
    schema: native.schema,
    zeroThreshold: native.zeroThreshold,
    zeroCount: native.zeroCount,
    negativeSpan: native.negativeSpans,
    negativeDelta: native.negativeDeltas,
    positiveSpan: empty ? [{ offset: 0, length: 0 }] : native.positiveSpans,
    positiveDelta: native.positiveDeltas,
  };
}

/**
 * prom-client's flat samples, grouped back into one message per label set. Counters, histograms
 * and summaries carry the start of their series where it is known: on the sample (the cluster
 * primary) or from `startOf` (business metrics).
 */
function samplesFamily(family: MetricFamily, startOf: StartOf): object {
  const { name, help } = family;
  switch (family.type) {
    case 'counter':
      return { name, help, type: COUNTER, metric: counterMetrics(family, startOf) };
    case 'gauge':
      return { name, help, type: GAUGE, metric: valueMetrics(family, 'gauge') };
    case 'histogram':
      return { name, help, type: HISTOGRAM, metric: sampledHistograms(family, startOf) };
    case 'summary':
      return { name, help, type: SUMMARY, metric: sampledSummaries(family, startOf) };
    default:
      return { name, help, type: UNTYPED, metric: valueMetrics(family, 'untyped') };
  }
}

function startOfSample(sample: Sample, startOf: StartOf): number | undefined {
  return sample.created ?? startOf?.(sample.labels);
}

function counterMetrics(family: MetricFamily, startOf: StartOf): object[] {
  return family.values.map((sample) => {
    const exemplar = sample.exemplar ? exemplarOfSample(sample) : undefined;
    const counter = { value: sample.value, createdTimestamp: timestamp(startOfSample(sample, startOf)) };
    return {
      label: labelPairs(sample.labels),
      counter: exemplar ? { ...counter, exemplar: exemplarMessage(exemplar) } : counter,
    };
  });
}

function valueMetrics(family: MetricFamily, field: 'gauge' | 'untyped'): object[] {
  return family.values.map((sample) => ({
    label: labelPairs(sample.labels),
    [field]: { value: sample.value },
  }));
}

/** The key of a sample's series: its labels but the one that tells its samples apart. */
function seriesKey(labels: SampleLabels, skip: string): string {
  let key = '';
  if (labels)
    for (const name in labels) if (name !== skip) key += `${name}\u0000${String(labels[name])}\u0000`;
  return key;
}

interface SampledHistogram {
  label: LabelPair[];
  histogram: {
    sampleCount: number;
    sampleSum: number;
    bucket: BucketMessage[];
    exemplars: ExemplarMessage[];
    createdTimestamp: { seconds: number; nanos: number } | undefined;
  };
}

function sampledHistograms(family: MetricFamily, startOf: StartOf): SampledHistogram[] {
  const byKey = new Map<string, SampledHistogram>();
  for (const sample of family.values) {
    const key = seriesKey(sample.labels, 'le');
    let metric = byKey.get(key);
    if (!metric) {
      metric = {
        label: labelPairs(sample.labels, 'le'),
        histogram: {
          sampleCount: 0,
          sampleSum: 0,
          bucket: [],
          exemplars: [],
          createdTimestamp: timestamp(startOfSample(sample, startOf)),
        },
      };
      byKey.set(key, metric);
    }
    const suffix = sampleSuffix(family.name, sample.metricName);
    if (suffix === '_sum') metric.histogram.sampleSum = sample.value;
    else if (suffix === '_count') metric.histogram.sampleCount = sample.value;
    else if (suffix === '_bucket') {
      const upperBound = numberLabel(sample.labels?.le);
      const exemplar = sample.exemplar ? exemplarOfSample(sample) : undefined;
      // The +Inf bucket is the count, which the message carries; its exemplar goes to the list.
      if (upperBound !== Number.POSITIVE_INFINITY) {
        metric.histogram.bucket.push(
          exemplar
            ? { cumulativeCount: sample.value, upperBound, exemplar: exemplarMessage(exemplar) }
            : { cumulativeCount: sample.value, upperBound },
        );
      } else if (exemplar) metric.histogram.exemplars.push(exemplarMessage(exemplar));
    }
  }
  return [...byKey.values()];
}

interface SampledSummary {
  label: LabelPair[];
  summary: {
    sampleCount: number;
    sampleSum: number;
    quantile: { quantile: number; value: number }[];
    createdTimestamp: { seconds: number; nanos: number } | undefined;
  };
}

function sampledSummaries(family: MetricFamily, startOf: StartOf): SampledSummary[] {
  const byKey = new Map<string, SampledSummary>();
  for (const sample of family.values) {
    const key = seriesKey(sample.labels, 'quantile');
    let metric = byKey.get(key);
    if (!metric) {
      metric = {
        label: labelPairs(sample.labels, 'quantile'),
        summary: {
          sampleCount: 0,
          sampleSum: 0,
          quantile: [],
          createdTimestamp: timestamp(startOfSample(sample, startOf)),
        },
      };
      byKey.set(key, metric);
    }
    const suffix = sampleSuffix(family.name, sample.metricName);
    if (suffix === '_sum') metric.summary.sampleSum = sample.value;
    else if (suffix === '_count') metric.summary.sampleCount = sample.value;
    else
      metric.summary.quantile.push({ quantile: numberLabel(sample.labels?.quantile), value: sample.value });
  }
  return [...byKey.values()];
}

/** `le` and `quantile` as prom-client gives them: numbers, or the text '+Inf'. */
function numberLabel(value: unknown): number {
  return value === '+Inf' ? Number.POSITIVE_INFINITY : Number(value);
}

function sampleSuffix(familyName: string, metricName: string | undefined): string {
  return metricName?.startsWith(familyName) ? metricName.slice(familyName.length) : '';
}
