import type { ExpositionWriter } from './exposition-writer.js';
import { writeTextPage } from './text-page.js';

const CONTENT_TYPE_0_0_4 = 'text/plain; version=0.0.4; charset=utf-8';
// 1.0.0 differs from 0.0.4 only in quoting names outside the legacy character set, which
// prom-client's names never have: the page is the same.
const CONTENT_TYPE_1_0_0 = 'text/plain; version=1.0.0; charset=utf-8';

/** Prometheus's text format 0.0.4 (and 1.0.0): what every scraper reads, so also the fallback. */
export const TEXT_WRITER: ExpositionWriter = {
  format: 'text',
  contentType: CONTENT_TYPE_0_0_4,
  answer: ({ type, params }) => {
    if (type === '*/*' || type === 'text/*') return CONTENT_TYPE_0_0_4;
    if (type !== 'text/plain') return undefined;
    if (params.version === undefined || params.version === '0.0.4') return CONTENT_TYPE_0_0_4;
    return params.version === '1.0.0' ? CONTENT_TYPE_1_0_0 : undefined;
  },
  write: (families) => Buffer.from(writeTextPage(families, false)),
};
