import type { ExposedFamily } from './exposed-family.js';
import type { ExpositionWriter } from './exposition-writer.js';

export const PROTOBUF_CONTENT_TYPE =
  'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';

type WriteProtobufPage = (families: readonly ExposedFamily[]) => Buffer;

let pageWriter: Promise<WriteProtobufPage> | undefined;

/**
 * The protobuf library and metrics.proto's descriptor are loaded on the first protobuf page,
 * so a process that only serves text never loads them (docs/architecture.md, "Rendering").
 */
function loadPageWriter(): Promise<WriteProtobufPage> {
  pageWriter ??= import('./protobuf-page.js').then((module) => module.writeProtobufPage);
  return pageWriter;
}

/**
 * Prometheus's protobuf format, length-delimited MetricFamily messages: what Prometheus asks
 * for first when it scrapes native histograms, and the one format with start timestamps
 * outside a series of their own.
 */
export const PROTOBUF_WRITER: ExpositionWriter = {
  format: 'protobuf',
  contentType: PROTOBUF_CONTENT_TYPE,
  answer: ({ type, params }) =>
    type === 'application/vnd.google.protobuf' &&
    params.proto === 'io.prometheus.client.MetricFamily' &&
    params.encoding === 'delimited'
      ? PROTOBUF_CONTENT_TYPE
      : undefined,
  write: async (families) => (await loadPageWriter())(families),
};
