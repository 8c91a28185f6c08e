import type { ExpositionFormat, ExpositionWriter } from './exposition-writer.js';
import { bestQuality, type MediaRange, parseMediaRanges } from './media-range.js';
import { createOpenMetricsWriter, OPENMETRICS_WRITER } from './openmetrics-writer.js';
import { PROTOBUF_WRITER } from './protobuf-writer.js';
import { TEXT_WRITER } from './text-writer.js';

/** Every writer, most preferred first: a tie in the scraper's q values goes to the earlier. */
const WRITERS: readonly ExpositionWriter[] = [PROTOBUF_WRITER, OPENMETRICS_WRITER, TEXT_WRITER];
const WRITERS_WITH_CREATED_LINES: readonly ExpositionWriter[] = [
  PROTOBUF_WRITER,
  createOpenMetricsWriter({ createdLines: true }),
  TEXT_WRITER,
];

/** How the pages of one endpoint are written. */
export interface ExpositionOptions {
  /** `_created` samples on OpenMetrics pages. Default: false. */
  createdLines?: boolean;
}

/** The writers an endpoint negotiates among, chosen once when it is created. */
export function expositionWriters(options: ExpositionOptions = {}): readonly ExpositionWriter[] {
  return options.createdLines ? WRITERS_WITH_CREATED_LINES : WRITERS;
}

/**
 * The name escaping schemes Prometheus 3 may ask for (`escaping=` on a range). They rewrite
 * only names outside the legacy character set, and prom-client accepts no such name, so every
 * page is the same under each; the answer says which one was asked for, as Prometheus expects.
 */
const ESCAPING_SCHEMES = new Set(['allow-utf-8', 'underscores', 'dots', 'values']);

/** A writer and the exact Content-Type of its answer. */
export interface Negotiated {
  readonly writer: ExpositionWriter;
  readonly contentType: string;
}

const TEXT_ANSWER: Negotiated = { writer: TEXT_WRITER, contentType: TEXT_WRITER.contentType };

function withEscaping(contentType: string, range: MediaRange): string {
  const scheme = range.params.escaping;
  return scheme !== undefined && ESCAPING_SCHEMES.has(scheme)
    ? `${contentType}; escaping=${scheme}`
    : contentType;
}

/**
 * The writer the scraper wants most (the highest q among the ranges a writer answers; a tie to
 * the earlier writer), with the version and escaping of the range it matched; the text format
 * when the scraper names none that core writes, as every scraper reads it.
 */
export function negotiate(
  accept: string | undefined,
  writers: readonly ExpositionWriter[] = WRITERS,
): Negotiated {
  if (!accept) return TEXT_ANSWER;
  const ranges = parseMediaRanges(accept);
  let best = TEXT_ANSWER;
  let bestQ = 0;
  for (const writer of writers) {
    for (const range of ranges) {
      if (range.q <= bestQ) continue;
      const contentType = writer.answer(range);
      if (contentType === undefined) continue;
      best = { writer, contentType: withEscaping(contentType, range) };
      bestQ = range.q;
    }
  }
  return best;
}

/** The writer of a format named by the caller (the test helpers). */
export function writerFor(format: ExpositionFormat): ExpositionWriter {
  const writer = WRITERS.find((candidate) => candidate.format === format);
  if (!writer) throw new TypeError(`no exposition writer for the format "${format}"`);
  return writer;
}

export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (!acceptEncoding) return false;
  const q = bestQuality(parseMediaRanges(acceptEncoding), ({ type }) => type === 'gzip' || type === '*');
  return q > 0;
}
