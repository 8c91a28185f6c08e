#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  createMetricFactories,
  createPushgatewayClient,
  PromenadeError,
  type PushgatewayClient,
  runJob,
  timed,
} from '@promenade/core';
import { Registry } from 'prom-client';
import { withoutLeadingSeparator } from './command-line-args.js';
import { type DatabaseLocation, DatabaseUrlError, locateDatabase } from './database/database-url.js';
import { openDatabase } from './database/open-database.js';
// The nightly report, a batch job with no HTTP server: walks completed and distance walked per
// walker over the last day, printed, and pushed to the Pushgateway through core's runJob.
//   PROMENADE_PUSHGATEWAY_URL=http://127.0.0.1:9091 node dist/report-job.mjs [--hours 24]
import { exitWith } from './exit-with.js';

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

/**
 * The job: the report's figures as gauges, pushed once at the end with the job's own metrics.
 * Without a gateway it only computes the report (a report is worth having without its metrics).
 */
export async function runNightlyReport(options: {
  databaseUrl?: string;
  hours: number;
  pushgateway?: PushgatewayClient;
  onPushError?: (error: Error) => void;
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
  const work = async () => {
    const report = await read(options.databaseUrl, since);
    for (const row of report) {
      walks.set({ walker: row.walker }, row.walks);
      meters.set({ walker: row.walker }, row.meters);
    }
    return report;
  };
  if (!options.pushgateway) return work();
  return runJob(
    {
      name: JOB_NAME,
      registry,
      pushgateway: options.pushgateway,
      ...(options.onPushError ? { onPushError: options.onPushError } : {}),
    },
    work,
  );
}

export const REPORT_USAGE = `Usage: npm run report -- [--hours N]             (at the repository's root)
       node examples/dog-walker/dist/report-job.mjs [--hours N]   (once built)

  --hours N   the period of the report, in hours before now; default 24
  -h, --help  this text

  DATABASE_URL               the demo's database (default examples/dog-walker/data/dogwalker.db)
  PROMENADE_PUSHGATEWAY_URL  the Pushgateway to push the figures to, e.g. http://127.0.0.1:9091;
                             unset: the report is printed and nothing is pushed`;

const JOB_NAME = 'dogwalker_nightly_report';

/** Prisma's code for a table that does not exist: a database the demo never migrated. */
const MISSING_TABLE = 'P2021';

/** A setting the job cannot run with: one line that says what to set, no stack trace, exit 2. */
class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** PROMENADE_PUSHGATEWAY_URL as a client, checked by core's own rule; none when it is unset. */
function gatewayFromEnvironment(env: NodeJS.ProcessEnv): PushgatewayClient | undefined {
  const url = env.PROMENADE_PUSHGATEWAY_URL;
  if (url === undefined || url === '') return undefined;
  try {
    return createPushgatewayClient({ url });
  } catch (error) {
    if (!(error instanceof PromenadeError)) throw error;
    throw new ConfigurationError(
      `report-job: PROMENADE_PUSHGATEWAY_URL must be the Pushgateway's http:// or https:// URL, such as http://127.0.0.1:9091, or unset to only print the report (received "${url}")`,
    );
  }
}

function hoursFrom(argv: readonly string[]): number | 'help' {
  let values: { hours?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: withoutLeadingSeparator(argv),
      options: { hours: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    throw new ConfigurationError(`report-job: ${(error as Error).message}\n\n${REPORT_USAGE}`);
  }
  if (values.help) return 'help';
  const hours = Number(values.hours ?? '24');
  if (!Number.isFinite(hours) || hours <= 0) {
    throw new ConfigurationError(
      `report-job: --hours must be a positive number (received "${values.hours}")`,
    );
  }
  return hours;
}

/** The command: prints the report, pushes it when a gateway is set, and says what it did. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let hours: number | 'help';
  let pushgateway: PushgatewayClient | undefined;
  let database: DatabaseLocation;
  try {
    hours = hoursFrom(argv);
    if (hours === 'help') {
      console.log(REPORT_USAGE);
      return 0;
    }
    pushgateway = gatewayFromEnvironment(env);
    database = locateDatabase(env.DATABASE_URL);
  } catch (error) {
    if (!(error instanceof ConfigurationError || error instanceof DatabaseUrlError)) throw error;
    console.error(error.message);
    return 2;
  }
  let pushFailed = false;
  let report: WalkerReport[];
  try {
    report = await runNightlyReport({
      databaseUrl: database.url,
      hours,
      ...(pushgateway ? { pushgateway, onPushError: () => (pushFailed = true) } : {}),
    });
  } catch (error) {
    if ((error as { code?: unknown }).code !== MISSING_TABLE) throw error;
    console.error(
      `report-job: the database ${database.provider === 'sqlite' ? database.url : 'in DATABASE_URL'} has no walks table: start the demo once (npm start) to create it, or set DATABASE_URL to the demo's database`,
    );
    return 2;
  }
  console.log(`Walks completed in the last ${hours} h, per walker:`);
  for (const row of report) {
    console.log(
      `  ${row.walker.padEnd(16)} ${String(row.walks).padStart(5)} walks ${(row.meters / 1000).toFixed(1).padStart(8)} km`,
    );
  }
  if (report.length === 0) console.log('  (none)');
  if (!pushgateway) {
    console.log(
      '\nNot pushed: PROMENADE_PUSHGATEWAY_URL is not set. To push these figures, set it to your Pushgateway, e.g.\n  PROMENADE_PUSHGATEWAY_URL=http://127.0.0.1:9091 npm run report',
    );
  } else if (!pushFailed) {
    console.log(`\nPushed to ${env.PROMENADE_PUSHGATEWAY_URL} as job="${JOB_NAME}".`);
  }
  return 0;
}

// Run as a program, not when imported (tests import runNightlyReport).
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  exitWith(main(process.argv.slice(2)));
}
