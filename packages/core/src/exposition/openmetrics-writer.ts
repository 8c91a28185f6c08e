import type { ExpositionWriter } from './exposition-writer.js';
import { writeTextPage } from './text-page.js';

const CONTENT_TYPE_1_0_0 = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
// 0.0.1 is the draft 1.0.0 was released from; Prometheus reads both alike, and so does the page.
const CONTENT_TYPE_0_0_1 = 'application/openmetrics-text; version=0.0.1; charset=utf-8';

/**
 * OpenMetrics 1.0 (and 0.0.1), which Prometheus asks for first. With `createdLines`, counters and
 * histograms whose start is known get a `_created` sample: off by default, as Prometheus 2 stores
 * each as a series of its own (docs/architecture.md, "Rendering").
 */
export function createOpenMetricsWriter({ createdLines }: { createdLines: boolean }): ExpositionWriter {
  return {
    format: 'openmetrics',
    contentType: CONTENT_TYPE_1_0_0,
    answer: ({ type, params }) => {
      if (type !== 'application/openmetrics-text') return undefined;
      if (params.version === undefined || params.version === '1.0.0') return CONTENT_TYPE_1_0_0;
      return params.version === '0.0.1' ? CONTENT_TYPE_0_0_1 : undefined;
    },
    write: (families) => Buffer.from(writeTextPage(families, true, createdLines)),
  };
}

export const OPENMETRICS_WRITER: ExpositionWriter = createOpenMetricsWriter({ createdLines: false });
