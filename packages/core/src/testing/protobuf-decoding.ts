/**
 * A protobuf page decoded back into metrics.proto's messages, for tests: field names in
 * camelCase (`sampleCount`, `positiveSpan`), 64-bit integers as numbers, the metric type by its
 * name, and a field absent when the page does not carry it.
 */
export interface DecodedMetricFamily {
  name: string;
  help?: string;
  type?: 'COUNTER' | 'GAUGE' | 'SUMMARY' | 'UNTYPED' | 'HISTOGRAM' | 'GAUGE_HISTOGRAM';
  metric: DecodedMetric[];
}

export interface DecodedTimestamp {
  seconds?: number;
  nanos?: number;
}

export interface DecodedExemplar {
  label: { name: string; value: string }[];
  value?: number;
  timestamp?: DecodedTimestamp;
}

export interface DecodedMetric {
  label: { name: string; value: string }[];
  counter?: { value?: number; createdTimestamp?: DecodedTimestamp; exemplar?: DecodedExemplar };
  gauge?: { value?: number };
  untyped?: { value?: number };
  summary?: {
    sampleCount?: number;
    sampleSum?: number;
    quantile: { quantile?: number; value?: number }[];
    createdTimestamp?: DecodedTimestamp;
  };
  histogram?: {
    sampleCount?: number;
    sampleSum?: number;
    bucket: { cumulativeCount?: number; upperBound?: number; exemplar?: DecodedExemplar }[];
    createdTimestamp?: DecodedTimestamp;
    schema?: number;
    zeroThreshold?: number;
    zeroCount?: number;
    negativeSpan: { offset?: number; length?: number }[];
    negativeDelta: number[];
    positiveSpan: { offset?: number; length?: number }[];
    positiveDelta: number[];
    exemplars: DecodedExemplar[];
  };
  timestampMs?: number;
}

/** Decodes a page of length-delimited MetricFamily messages (what the protobuf writer sends). */
export async function decodeProtobufPage(page: Uint8Array): Promise<DecodedMetricFamily[]> {
  const [{ default: protobuf }, { METRICS_DESCRIPTOR }] = await Promise.all([
    import('protobufjs/light.js'),
    import('../exposition/metrics-descriptor.js'),
  ]);
  const type = protobuf.Root.fromJSON(METRICS_DESCRIPTOR as protobuf.INamespace).lookupType(
    'io.prometheus.client.MetricFamily',
  );
  const reader = protobuf.Reader.create(page);
  const families: DecodedMetricFamily[] = [];
  while (reader.pos < reader.len) {
    const message = type.decodeDelimited(reader);
    families.push(
      type.toObject(message, { longs: Number, enums: String, arrays: true }) as DecodedMetricFamily,
    );
  }
  return families;
}
