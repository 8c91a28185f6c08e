import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answers } from './http.js';
import { freePort, makeDataDir, readyOrStop, requireBinary, spawnDaemon, waitUntil } from './process.js';
import { activeTargets, instantQuery, type PromSample, waitForSamples, waitForTargets } from './promql.js';
import { scrapeConfigFile, scrapeUrls } from './scrape-config.js';
import type { PromQueryable, ScraperOptions } from './types.js';

/** Where a scraping daemon differs from another: its program, flags, readiness path and queries. */
export interface ScraperKind {
  /** The program on PATH, also the daemon's name in logs and errors. */
  binary: string;
  debianPackage: string;
  /** The product's name in a readiness error, e.g. "Prometheus /-/ready". */
  title: string;
  dataDirName: string;
  configFileName: string;
  /** The daemon's flags for listening on `port`, storing under `dir` and scraping per `configFile`. */
  args(where: { port: number; dir: string; configFile: string }): string[];
  /** Answers 2xx once the daemon serves its API. */
  readyPath: string;
  /** Defaults to a plain instant query; a daemon that buffers samples flushes first. */
  query?(url: string, promql: string): Promise<PromSample[]>;
}

/**
 * Writes the scrape config, spawns the daemon on a free loopback port and waits until it is ready
 * and has scraped every target; a daemon that never gets there is stopped before the error is thrown.
 */
export async function startScraper(kind: ScraperKind, options: ScraperOptions): Promise<PromQueryable> {
  const { scrapeConfigs, requireUp = true, ruleFiles, timeoutMs = 30_000 } = options;
  const binary = requireBinary(kind.binary, kind.debianPackage);
  const dir = makeDataDir(kind.dataDirName);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const configFile = join(dir, kind.configFileName);
  writeFileSync(configFile, scrapeConfigFile(scrapeConfigs, ruleFiles));
  const daemon = spawnDaemon(kind.binary, binary, kind.args({ port, dir, configFile }), { dir });
  await readyOrStop(daemon, async () => {
    const ready = `${kind.title} ${kind.readyPath}`;
    await waitUntil(ready, daemon, () => answers(`${url}${kind.readyPath}`), timeoutMs);
    await waitForTargets(daemon, url, scrapeUrls(scrapeConfigs), { requireUp, timeoutMs });
  });
  const queryWith = kind.query ?? instantQuery;
  const query = (promql: string) => queryWith(url, promql);
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
