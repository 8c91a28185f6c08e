/** One entry of an Accept or Accept-Encoding header. */
export interface MediaRange {
  /** Lower-cased, as media types compare. */
  type: string;
  /** The q value, from 0 to 1 (1 when absent, 0 when unreadable). */
  q: number;
  /** Every other parameter, names lower-cased (`version`, later protobuf's `proto` and `encoding`). */
  params: Readonly<Record<string, string>>;
}

export function parseMediaRanges(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [type = '', ...rawParams] = part.split(';');
    let q = 1;
    const params: Record<string, string> = {};
    for (const param of rawParams) {
      const [rawKey = '', value = ''] = param.split('=');
      const key = rawKey.trim().toLowerCase();
      if (key === 'q') {
        const parsed = Number(value);
        q = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 0;
      } else if (key) {
        params[key] = value.trim();
      }
    }
    ranges.push({ type: type.trim().toLowerCase(), q, params });
  }
  return ranges;
}

/** The highest q among the ranges that match; -1 when none does. */
export function bestQuality(ranges: readonly MediaRange[], matches: (range: MediaRange) => boolean): number {
  let best = -1;
  for (const range of ranges) if (matches(range) && range.q > best) best = range.q;
  return best;
}
