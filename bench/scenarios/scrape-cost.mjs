import { startChild } from '../lib/child-process.mjs';
import { processCpuSeconds } from '../lib/cpu.mjs';
import { sampleLines } from '../lib/exposition.mjs';
import { inParallel, request } from '../lib/http-get.mjs';
import { median } from '../lib/stats.mjs';

export const SCRAPE_PROGRAMS = [
  { framework: 'Express', name: 'express-prom-bundle', program: 'servers/express-prom-bundle' },
  { framework: 'Express', name: 'Promenade', program: 'servers/express-promenade' },
  { framework: 'Fastify', name: 'fastify-metrics', program: 'servers/fastify-metrics' },
  { framework: 'Fastify', name: 'Promenade', program: 'servers/fastify-promenade' },
  { framework: 'Nest', name: '@willsoto/nestjs-prometheus + interceptor', program: 'servers/nest-willsoto' },
  { framework: 'Nest', name: 'Promenade', program: 'servers/nest-promenade' },
];

/**
 * The cost of serving /metrics once an app has seen traffic on `routes` route templates:
 * each template is hit, then /metrics is fetched `scrapes` times, one after another, as a
 * Prometheus server would. Reported: the median wall time of a scrape, the server's CPU
 * time per scrape, the page size and its series count (sample lines).
 */
export async function measureScrapeCost({ routes, scrapes, log }) {
  const results = [];
  for (const entry of SCRAPE_PROGRAMS) {
    let child;
    try {
      child = await startChild(entry.program, { routes });
    } catch (error) {
      log(`  ${entry.program}: not measured (${error.message})`);
      results.push({ ...entry, unavailable: error.message });
      continue;
    }
    try {
      await inParallel(routes, 8, (index) => request(child.port, `/r${index}/dogs/${index}`));
      const warmup = Math.max(5, Math.round(scrapes / 10));
      for (let i = 0; i < warmup; i++) await request(child.port, '/metrics');
      const before = processCpuSeconds(child.pid);
      const timings = [];
      let page = '';
      for (let i = 0; i < scrapes; i++) {
        const response = await request(child.port, '/metrics');
        if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
        timings.push(response.ms);
        if (i === 0) page = response.body.toString('utf8');
      }
      const cpuMs = ((processCpuSeconds(child.pid) - before) / scrapes) * 1000;
      const series = sampleLines(page).length;
      const medianMs = median(timings);
      const result = {
        ...entry,
        series,
        pageBytes: Buffer.byteLength(page),
        medianMs,
        cpuMsPerScrape: cpuMs,
        msPer1000Series: medianMs / (series / 1000),
      };
      log(
        `  scrape ${entry.program}: ${series} series, ${(result.pageBytes / 1024).toFixed(0)} KiB, ${medianMs.toFixed(2)} ms median, ${cpuMs.toFixed(2)} ms CPU`,
      );
      results.push(result);
    } finally {
      await child.stop();
    }
  }
  return { routes, scrapes, results };
}
