import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answers } from './http.js';
import { freePort, makeDataDir, readyOrStop, requireBinary, spawnDaemon, waitUntil } from './process.js';
import { activeTargets, instantQuery, waitForSamples, waitForTargets } from './promql.js';
import { scrapeConfigFile, scrapeUrls } from './scrape-config.js';
import type { PromQueryable, ScraperOptions } from './types.js';

/** Real Prometheus on a free loopback port, scraping `scrapeConfigs` every second. */
export async function startPrometheus(options: ScraperOptions): Promise<PromQueryable> {
  const { scrapeConfigs, requireUp = true, timeoutMs = 30_000 } = options;
  const binary = requireBinary('prometheus', 'prometheus');
  const dir = makeDataDir('prometheus');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, scrapeConfigFile(scrapeConfigs));
  const daemon = spawnDaemon(
    'prometheus',
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.console.templates=${join(dir, 'consoles')}`,
      `--web.console.libraries=${join(dir, 'console_libraries')}`,
      '--web.enable-lifecycle',
    ],
    { dir },
  );
  await readyOrStop(daemon, async () => {
    await waitUntil('Prometheus /-/ready', daemon, () => answers(`${url}/-/ready`), timeoutMs);
    await waitForTargets(daemon, url, scrapeUrls(scrapeConfigs), { requireUp, timeoutMs });
  });
  const query = (promql: string) => instantQuery(url, promql);
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
