import type { ExpositionWriter } from './exposition-writer.js';
import { bestQuality } from './media-range.js';
import { writeTextPage } from './text-page.js';

/** OpenMetrics 1.0, which Prometheus asks for first. */
export const OPENMETRICS_WRITER: ExpositionWriter = {
  format: 'openmetrics',
  contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
  quality: (accept) => bestQuality(accept, ({ type }) => type === 'application/openmetrics-text'),
  write: (families) => Buffer.from(writeTextPage(families, true)),
};
