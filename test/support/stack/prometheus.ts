import { join } from 'node:path';
import { startScraper } from './scraper.js';
import type { PromQueryable, ScraperOptions } from './types.js';

export interface PrometheusOptions extends ScraperOptions {
  /** `--enable-feature` values, e.g. `native-histograms` (which makes 2.42 ask for protobuf first). */
  enableFeatures?: string[];
}

/** Real Prometheus on a free loopback port, scraping `scrapeConfigs` every second. */
export function startPrometheus(options: PrometheusOptions): Promise<PromQueryable> {
  const features = options.enableFeatures?.length
    ? [`--enable-feature=${options.enableFeatures.join(',')}`]
    : [];
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
        ...features,
      ],
      readyPath: '/-/ready',
    },
    options,
  );
}
