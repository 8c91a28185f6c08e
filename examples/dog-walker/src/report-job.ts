#!/usr/bin/env node
// The nightly report, a batch job with no HTTP server: walks completed and distance walked per
// walker over the last day, printed, and pushed to the Pushgateway through core's runJob.
//   PROMENADE_PUSHGATEWAY_URL=http://127.0.0.1:9091 node dist/report-job.mjs [--hours 24]
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createMetricFactories, runJob, timed } from '@promenade/core';
import { Registry } from 'prom-client';
import { locateDatabase } from './database/database-url.js';
import { openDatabase } from './database/open-database.js';

export interface WalkerReport {
  readonly walker: string;
  readonly walks: number;
  readonly meters: number;
}

/** Completed walks since `since`, per walker name, busiest first. */
export async function reportWalks(databaseUrl: string | undefined, since: Date): Promise<WalkerReport[]> {
  // The database's own metrics are not part of the report.
  const database = openDatabase(locateDatabase(databaseUrl), new Registry());
  try {
    const walks = await database.prisma.walk.findMany({
      where: { endedAt: { not: null, gte: since } },
      select: { distanceMeters: true, walker: { select: { name: true } } },
    });
    const byWalker = new Map<string, { walks: number; meters: number }>();
    for (const walk of walks) {
      const entry = byWalker.get(walk.walker.name) ?? { walks: 0, meters: 0 };
      entry.walks += 1;
      entry.meters += walk.distanceMeters ?? 0;
      byWalker.set(walk.walker.name, entry);
    }
    return [...byWalker]
      .map(([walker, { walks, meters }]) => ({ walker, walks, meters }))
      .sort((a, b) => b.walks - a.walks || a.walker.localeCompare(b.walker));
  } finally {
    await database.close();
  }
}

/** The job: the report's figures as gauges, pushed once at the end with the job's own metrics. */
export async function runNightlyReport(options: {
  databaseUrl?: string;
  hours: number;
  pushgatewayUrl?: string;
}): Promise<WalkerReport[]> {
  const registry = new Registry();
  const { gauge, histogram } = createMetricFactories(registry);
  const walks = gauge({
    name: 'dogwalker_report_walks',
    help: 'Walks completed in the report period, by walker.',
    labelNames: ['walker'],
  });
  const meters = gauge({
    name: 'dogwalker_report_distance_meters',
    help: 'Distance walked in the report period, by walker.',
    labelNames: ['walker'],
  });
  const querySeconds = histogram({
    name: 'dogwalker_report_query_seconds',
    help: 'Time to read the walks of the period.',
    buckets: [0.01, 0.1, 1, 10],
  });
  const since = new Date(Date.now() - options.hours * 3600 * 1000);
  const read = timed(querySeconds, reportWalks);
  return runJob(
    {
      name: 'dogwalker_nightly_report',
      registry,
      ...(options.pushgatewayUrl ? { pushgateway: { url: options.pushgatewayUrl } } : {}),
    },
    async () => {
      const report = await read(options.databaseUrl, since);
      for (const row of report) {
        walks.set({ walker: row.walker }, row.walks);
        meters.set({ walker: row.walker }, row.meters);
      }
      return report;
    },
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { hours: { type: 'string' } } });
  const hours = Number(values.hours ?? '24');
  if (!Number.isFinite(hours) || hours <= 0) {
    console.error(`report-job: --hours must be a positive number (received "${values.hours}")`);
    process.exitCode = 2;
    return;
  }
  const report = await runNightlyReport({ databaseUrl: process.env.DATABASE_URL, hours });
  console.log(`Walks completed in the last ${hours} h, per walker:`);
  for (const row of report) {
    console.log(
      `  ${row.walker.padEnd(16)} ${String(row.walks).padStart(5)} walks ${(row.meters / 1000).toFixed(1).padStart(8)} km`,
    );
  }
  if (report.length === 0) console.log('  (none)');
}

// Run as a program, not when imported (tests import runNightlyReport).
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
