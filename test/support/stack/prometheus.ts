import { join } from 'node:path';
import { startScraper } from './scraper.js';
import type { PromQueryable, ScraperOptions } from './types.js';

/** Real Prometheus on a free loopback port, scraping `scrapeConfigs` every second. */
export function startPrometheus(options: ScraperOptions): Promise<PromQueryable> {
  return startScraper(
    {
      binary: 'prometheus',
      debianPackage: 'prometheus',
      title: 'Prometheus',
      dataDirName: 'prometheus',
      configFileName: 'prometheus.yml',
      args: ({ port, dir, configFile }) => [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--web.console.templates=${join(dir, 'consoles')}`,
        `--web.console.libraries=${join(dir, 'console_libraries')}`,
        '--web.enable-lifecycle',
      ],
      readyPath: '/-/ready',
    },
    options,
  );
}
