import { fetchWithin } from './http.js';
import { type Daemon, StackError, waitUntil } from './process.js';

/** One series of an instant query's answer. */
export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

/** One entry of /api/v1/targets (Prometheus and VictoriaMetrics answer the same shape). */
export interface ScrapeTarget {
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastScrape: string;
  lastError: string;
  labels: Record<string, string>;
}

interface ApiAnswer<T> {
  status: 'success' | 'error';
  data?: T;
  errorType?: string;
  error?: string;
}

type QueryData =
  | {
      resultType: 'vector';
      // A native histogram's sample carries `histogram` in place of `value`.
      result: Array<{ metric: Record<string, string>; value?: [number, string]; histogram?: unknown }>;
    }
  | { resultType: 'scalar' | 'string'; result: [number, string] }
  | { resultType: 'matrix'; result: unknown[] };

/** Prometheus writes infinities as +Inf/-Inf, which Number() does not read. */
export function parsePromValue(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

async function api<T>(baseUrl: string, path: string): Promise<T> {
  const response = await fetchWithin(`${baseUrl}${path}`);
  const body = await response.text();
  let answer: ApiAnswer<T>;
  try {
    answer = JSON.parse(body) as ApiAnswer<T>;
  } catch {
    throw new StackError(`stack: ${baseUrl}${path} answered ${response.status}: ${body.slice(0, 500)}`);
  }
  if (answer.status !== 'success' || answer.data === undefined) {
    throw new StackError(
      `stack: ${baseUrl}${path} failed: ${answer.errorType ?? response.status}: ${answer.error}`,
    );
  }
  return answer.data;
}

/** An instant query through the Prometheus HTTP API; a range-vector answer is an error. */
export async function instantQuery(baseUrl: string, promql: string): Promise<PromSample[]> {
  const data = await api<QueryData>(baseUrl, `/api/v1/query?query=${encodeURIComponent(promql)}`);
  switch (data.resultType) {
    case 'vector':
      return data.result.map(({ metric, value }) => {
        if (value === undefined) {
          throw new StackError(
            `stack: query ${promql} gave native histogram samples; ask for a number of them (histogram_count, histogram_sum, histogram_quantile)`,
          );
        }
        return { metric, value: parsePromValue(value[1]) };
      });
    case 'scalar':
    case 'string':
      return [{ metric: {}, value: parsePromValue(data.result[1]) }];
    default:
      throw new StackError(`stack: query ${promql} gave a ${data.resultType}; wrap it in a function`);
  }
}

export async function activeTargets(baseUrl: string): Promise<ScrapeTarget[]> {
  const data = await api<{ activeTargets: ScrapeTarget[] }>(baseUrl, '/api/v1/targets');
  return data.activeTargets;
}

// Before a first scrape Prometheus reports year 1 and VictoriaMetrics 1970.
const scrapedOnce = (target: ScrapeTarget) => Date.parse(target.lastScrape) > Date.UTC(2000, 0, 1);

/**
 * Waits until each URL is among the active targets and has been scraped at least once, and, with
 * `requireUp`, until its last scrape succeeded.
 */
export async function waitForTargets(
  daemon: Daemon,
  baseUrl: string,
  urls: string[],
  options: { requireUp: boolean; timeoutMs: number },
): Promise<void> {
  let pending = urls;
  const probe = async () => {
    const targets = await activeTargets(baseUrl);
    pending = urls.filter((url) => {
      const target = targets.find((candidate) => candidate.scrapeUrl === url);
      if (target === undefined || !scrapedOnce(target)) return true;
      return options.requireUp && target.health !== 'up';
    });
    if (pending.length > 0) {
      const states = targets.map((t) => `${t.scrapeUrl} ${t.health} ${t.lastError}`.trim());
      throw new StackError(`waiting for ${pending.join(', ')}; targets: ${states.join('; ') || 'none'}`);
    }
    return true;
  };
  await waitUntil(`scrape of ${urls.join(', ')}`, daemon, probe, options.timeoutMs);
}

/** Polls an instant query until it returns at least one series. */
export async function waitForSamples(
  daemon: Daemon,
  query: (promql: string) => Promise<PromSample[]>,
  promql: string,
  timeoutMs: number,
): Promise<PromSample[]> {
  let samples: PromSample[] = [];
  await waitUntil(
    `samples for ${promql}`,
    daemon,
    async () => {
      samples = await query(promql);
      return samples.length > 0;
    },
    timeoutMs,
  );
  return samples;
}
