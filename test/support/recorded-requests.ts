import { sampleLines, scrape } from '@promenade/core/testing';
import type { Registry } from 'prom-client';

// What the HTTP adapters' suites share to read what a request recorded: a response is recorded
// when it emits 'close', one tick after it finished, which may come after the client has the
// response, so a test waits for the in-flight gauge to fall back to zero before it reads.

/** Waits until no request is in flight, whatever the prefix; fails after one second. */
export async function settled(registry: Registry): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const inFlight = (await registry.getMetricsAsJSON())
      .filter((metric) => metric.name.endsWith('http_requests_in_flight'))
      .reduce((sum, metric) => sum + metric.values.reduce((total, sample) => total + sample.value, 0), 0);
    if (inFlight === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('requests still in flight after one second');
}

/** The sample lines of one metric, sorted, after every request has been recorded. */
export async function lines(registry: Registry, name: string): Promise<string[]> {
  await settled(registry);
  return sampleLines(await scrape(registry), name).sort();
}
