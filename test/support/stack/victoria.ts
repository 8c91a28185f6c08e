import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answers, fetchText } from './http.js';
import { freePort, makeDataDir, readyOrStop, requireBinary, spawnDaemon, waitUntil } from './process.js';
import { activeTargets, instantQuery, waitForSamples, waitForTargets } from './promql.js';
import { scrapeConfigFile, scrapeUrls } from './scrape-config.js';
import type { PromQueryable, ScraperOptions } from './types.js';

/**
 * Real single-node VictoriaMetrics on a free loopback port, scraping `scrapeConfigs` every second.
 * Its queries see samples at once: no latency offset, no result cache, and a flush before each query.
 */
export async function startVictoriaMetrics(options: ScraperOptions): Promise<PromQueryable> {
  const { scrapeConfigs, requireUp = true, timeoutMs = 30_000 } = options;
  const binary = requireBinary('victoria-metrics', 'victoria-metrics');
  const dir = makeDataDir('victoria');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const configFile = join(dir, 'scrape.yml');
  writeFileSync(configFile, scrapeConfigFile(scrapeConfigs));
  const daemon = spawnDaemon(
    'victoria-metrics',
    binary,
    [
      `-httpListenAddr=127.0.0.1:${port}`,
      `-storageDataPath=${join(dir, 'data')}`,
      // A bare number would mean months.
      '-retentionPeriod=1d',
      `-promscrape.config=${configFile}`,
      '-search.latencyOffset=0s',
      '-search.disableCache',
    ],
    { dir },
  );
  await readyOrStop(daemon, async () => {
    await waitUntil('VictoriaMetrics /health', daemon, () => answers(`${url}/health`), timeoutMs);
    await waitForTargets(daemon, url, scrapeUrls(scrapeConfigs), { requireUp, timeoutMs });
  });
  const query = async (promql: string) => {
    await fetchText(`${url}/internal/force_flush`);
    return instantQuery(url, promql);
  };
  return {
    url,
    port,
    pid: daemon.pid,
    dir,
    query,
    waitForSamples: (promql, limitMs = 15_000) => waitForSamples(daemon, query, promql, limitMs),
    targets: () => activeTargets(url),
    stop: () => daemon.stop(),
  };
}
