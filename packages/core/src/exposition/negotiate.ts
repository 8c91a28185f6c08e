import type { ExpositionFormat } from './exposition-format.js';

interface MediaRange {
  type: string;
  q: number;
}

function parseList(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [type = '', ...params] = part.split(';');
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=');
      if (key?.trim().toLowerCase() === 'q') {
        const parsed = Number(value);
        q = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 0;
      }
    }
    ranges.push({ type: type.trim().toLowerCase(), q });
  }
  return ranges;
}

function quality(ranges: readonly MediaRange[], matches: (type: string) => boolean): number {
  let best = -1;
  for (const range of ranges) if (matches(range.type) && range.q > best) best = range.q;
  return best;
}

/**
 * OpenMetrics when the scraper prefers it (Prometheus asks for it first), otherwise the
 * text format, which every scraper reads.
 */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  if (!accept?.includes('openmetrics')) return 'text';
  const ranges = parseList(accept);
  const openMetrics = quality(ranges, (type) => type === 'application/openmetrics-text');
  const text = quality(ranges, (type) => type === 'text/plain' || type === 'text/*' || type === '*/*');
  return openMetrics > 0 && openMetrics >= text ? 'openmetrics' : 'text';
}

export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (!acceptEncoding) return false;
  const q = quality(parseList(acceptEncoding), (type) => type === 'gzip' || type === '*');
  return q > 0;
}
