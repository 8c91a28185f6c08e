import { StackError } from './process.js';

/** fetch with a time limit, so that no wait on a daemon is unbounded. */
export function fetchWithin(url: string, init: RequestInit = {}, timeoutMs = 5_000): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
}

/** True when `url` answers 2xx (`anyStatus`: any HTTP answer at all); false while it refuses. */
export async function answers(url: string, anyStatus = false): Promise<boolean> {
  try {
    const response = await fetchWithin(url, {}, 2_000);
    await response.arrayBuffer();
    return anyStatus || response.ok;
  } catch {
    return false;
  }
}

/** The body of a 2xx answer; throws with the status and the start of the body otherwise. */
export async function fetchText(url: string, init: RequestInit = {}): Promise<string> {
  const response = await fetchWithin(url, init);
  const body = await response.text();
  if (!response.ok) {
    throw new StackError(
      `stack: ${init.method ?? 'GET'} ${url} answered ${response.status}: ${body.slice(0, 500)}`,
    );
  }
  return body;
}
