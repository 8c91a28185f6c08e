import type { ExpositionFormat, ExpositionWriter } from './exposition-writer.js';
import { bestQuality, parseMediaRanges } from './media-range.js';
import { OPENMETRICS_WRITER } from './openmetrics-writer.js';
import { TEXT_WRITER } from './text-writer.js';

/** Every writer, most preferred first: a tie in the scraper's q values goes to the earlier. */
const WRITERS: readonly ExpositionWriter[] = [OPENMETRICS_WRITER, TEXT_WRITER];

/**
 * The writer the scraper wants most (Prometheus asks for OpenMetrics first); the text format
 * when it names none that core writes, as every scraper reads it.
 */
export function findWriter(accept: string | undefined): ExpositionWriter {
  if (!accept) return TEXT_WRITER;
  const ranges = parseMediaRanges(accept);
  let best = TEXT_WRITER;
  let bestQ = 0;
  for (const writer of WRITERS) {
    const q = writer.quality(ranges);
    if (q > bestQ) {
      best = writer;
      bestQ = q;
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
