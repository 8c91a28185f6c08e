import { mib, num } from './format.mjs';

/**
 * The project's targets, checked against one run's results. Each check says what was
 * compared, the measured value, the limit and whether it was met.
 */
export const SCRAPE_MS_PER_1000_SERIES = 1;
export const SOAK_GROWTH_BYTES = 10 * 2 ** 20;

export function checkTargets(results) {
  const checks = [];
  for (const group of results.overhead ?? []) {
    const promenade = group.variants.find((variant) => variant.role === 'promenade');
    const peer = group.variants.find((variant) => variant.role === 'peer');
    if (!promenade) continue;
    checks.push({
      target: `${group.title}: Promenade / bare CPU per operation <= ${group.target}`,
      measured: promenade.medianCpuRatio,
      met: promenade.medianCpuRatio <= group.target,
    });
    if (peer) {
      checks.push({
        target: `${group.title}: Promenade below ${peer.name}`,
        measured: `${num(promenade.medianCpuRatio, 3)} vs ${num(peer.medianCpuRatio, 3)}`,
        met: promenade.medianCpuRatio < peer.medianCpuRatio,
      });
    }
  }
  for (const scrape of results.scrape?.results ?? []) {
    if (scrape.name !== 'Promenade' || scrape.unavailable) continue;
    checks.push({
      target: `${scrape.framework} scrape: < ${SCRAPE_MS_PER_1000_SERIES} ms per 1,000 series`,
      measured: scrape.msPer1000Series,
      met: scrape.msPer1000Series < SCRAPE_MS_PER_1000_SERIES,
    });
  }
  for (const hostile of results.hostile?.results ?? []) {
    if (hostile.unavailable) continue;
    checks.push({
      target: `${hostile.framework} hostile traffic: no series growth, no 5xx or connection error, every bad credential a 401`,
      measured: hostile.passed ? 'all held' : 'see the table',
      met: hostile.passed,
    });
  }
  const soaked = results.soak?.apps.find((app) => app.name === 'Promenade');
  if (soaked) {
    const { rss, heapUsed } = soaked.growthAfterWarmup;
    const bare = results.soak.apps.find((app) => app.name !== 'Promenade')?.growthAfterWarmup;
    checks.push({
      target: 'Soak (Promenade Express): RSS and heap growth after warm-up < 10 MiB, no failed request',
      measured: `RSS ${mib(rss)} MiB, heap ${mib(heapUsed)} MiB (bare Express: RSS ${mib(bare?.rss)} MiB, heap ${mib(bare?.heapUsed)} MiB)`,
      met: rss < SOAK_GROWTH_BYTES && heapUsed < SOAK_GROWTH_BYTES && soaked.failed === 0,
    });
  }
  return checks;
}
