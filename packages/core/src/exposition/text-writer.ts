import type { ExpositionWriter } from './exposition-writer.js';
import { bestQuality } from './media-range.js';
import { writeTextPage } from './text-page.js';

/** Prometheus's text format 0.0.4: what every scraper reads, so also the fallback. */
export const TEXT_WRITER: ExpositionWriter = {
  format: 'text',
  contentType: 'text/plain; version=0.0.4; charset=utf-8',
  quality: (accept) =>
    bestQuality(accept, ({ type }) => type === 'text/plain' || type === 'text/*' || type === '*/*'),
  write: (families) => Buffer.from(writeTextPage(families, false)),
};
