import { join } from 'node:path';
import { fetchText } from './http.js';
import { instantQuery } from './promql.js';
import { startScraper } from './scraper.js';
import type { PromQueryable, ScraperOptions } from './types.js';

/**
 * Real single-node VictoriaMetrics on a free loopback port, scraping `scrapeConfigs` every second.
 * Its queries see samples at once: no latency offset, no result cache, and a flush before each query.
 */
export function startVictoriaMetrics(options: ScraperOptions): Promise<PromQueryable> {
  return startScraper(
    {
      binary: 'victoria-metrics',
      debianPackage: 'victoria-metrics',
      title: 'VictoriaMetrics',
      dataDirName: 'victoria',
      configFileName: 'scrape.yml',
      args: ({ port, dir, configFile }) => [
        `-httpListenAddr=127.0.0.1:${port}`,
        `-storageDataPath=${join(dir, 'data')}`,
        // A bare number would mean months.
        '-retentionPeriod=1d',
        `-promscrape.config=${configFile}`,
        '-search.latencyOffset=0s',
        '-search.disableCache',
      ],
      readyPath: '/health',
      query: async (url, promql) => {
        await fetchText(`${url}/internal/force_flush`);
        return instantQuery(url, promql);
      },
    },
    options,
  );
}
