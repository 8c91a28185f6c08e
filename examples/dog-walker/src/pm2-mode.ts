import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { type MetricsServer, reportToSocketAggregator, startMetricsServer } from '@promenade/core';
import { Registry } from 'prom-client';
import type { DogWalkerApp } from './app.js';
import type { CliSettings } from './cli-settings.js';
import { withoutLeadingSeparator } from './command-line-args.js';
import { credentialLines } from './credential-lines.js';
import type { MetricsCredentials } from './credentials.js';
import { locateDatabase } from './database/database-url.js';
import { migrateDatabase } from './database/open-database.js';
import { type Simulator, startSimulator } from './simulator.js';

/** How the demo runs under PM2 (ecosystem.config.cjs): its cluster-mode instances and its metrics process. */
export interface Pm2Settings {
  /** The socket the instances report to and the metrics process listens on. */
  readonly metricsSocket: string | undefined;
  /** This process is the metrics process: it migrates, serves every instance, runs the simulator. */
  readonly metricsProcess: boolean;
}

/** `--metrics-socket PATH` (env DOGWALKER_METRICS_SOCKET) and `--metrics-process`. */
export function parsePm2Settings(argv: readonly string[], env: NodeJS.ProcessEnv): Pm2Settings {
  const { values } = parseArgs({
    args: withoutLeadingSeparator(argv),
    strict: false,
    options: { 'metrics-socket': { type: 'string' }, 'metrics-process': { type: 'boolean' } },
  });
  const metricsSocket = (values['metrics-socket'] as string | undefined) ?? env.DOGWALKER_METRICS_SOCKET;
  const metricsProcess = values['metrics-process'] === true;
  if (metricsProcess && !metricsSocket) {
    throw new RangeError(
      'dog-walker: --metrics-process needs --metrics-socket PATH (or DOGWALKER_METRICS_SOCKET)',
    );
  }
  return { metricsSocket: metricsSocket || undefined, metricsProcess };
}

/** In an instance: the app's page is read by the metrics process too (one Promenade call). */
export function reportToMetricsProcess(app: DogWalkerApp, settings: Pm2Settings): void {
  if (settings.metricsSocket)
    reportToSocketAggregator({ path: settings.metricsSocket, registry: app.registry });
}

/**
 * The metrics process of the PM2 ecosystem: migrates once, serves every instance's metrics
 * aggregated on `metricsPort` (one Promenade call: startMetricsServer with `socket`), and sends the
 * simulator's traffic to the instances' shared port. Runs until SIGINT or SIGTERM.
 */
export async function runMetricsProcess(
  settings: CliSettings,
  metricsPort: number,
  pm2: Pm2Settings,
  credentials: MetricsCredentials,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  let metrics: MetricsServer;
  try {
    await migrateDatabase(locateDatabase(env.DATABASE_URL));
    await mkdir(dirname(pm2.metricsSocket!), { recursive: true });
    metrics = await startMetricsServer({
      port: metricsPort,
      host: settings.host,
      auth: credentials.auth,
      registry: new Registry(),
      socket: { path: pm2.metricsSocket! },
    });
  } catch (error) {
    console.error(`dog-walker: could not start the metrics process: ${(error as Error).message}`);
    return 1;
  }
  const host = settings.host === '0.0.0.0' ? '127.0.0.1' : settings.host;
  const appUrl = `http://${host}:${settings.port}`;
  console.log(
    [
      '',
      `Dog walker metrics process: every instance reporting to ${pm2.metricsSocket}`,
      '',
      `  Page:            ${appUrl}/   (the PM2 instances)`,
      `  Metrics (all):   ${metrics.url}   every instance aggregated`,
      ...credentialLines(credentials, metrics.url, 17),
      '',
      settings.simulator ? `Simulator: ${settings.rate} requests/s to ${appUrl}.` : '',
    ].join('\n'),
  );
  let simulator: Simulator | undefined;
  if (settings.simulator) {
    simulator = startSimulator({
      baseUrl: appUrl,
      rate: settings.rate,
      onError: (error) => console.error(`simulator: ${(error as Error).message}`),
    });
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) process.exit(130);
    stopping = true;
    await simulator?.stop();
    await metrics.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  return 0;
}
