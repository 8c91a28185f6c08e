import { parseArgs } from 'node:util';
import { type MetricsServer, startMetricsServer } from '@promenade/core';
import { Registry } from 'prom-client';
import type { CliSettings } from './cli-settings.js';
import { withoutLeadingSeparator } from './command-line-args.js';
import { credentialLines } from './credential-lines.js';
import type { MetricsCredentials } from './credentials.js';
import { locateDatabase } from './database/database-url.js';
import { migrateDatabase } from './database/open-database.js';
import { type Simulator, startSimulator } from './simulator.js';
import { superviseWorkers } from './worker-supervisor.js';

export interface ClusterSettings {
  /** Worker processes; 0 runs the app in this one process. */
  readonly workers: number;
  /** Where the primary serves the aggregated /metrics. */
  readonly metricsPort: number;
}

/** `--workers N` (env DOGWALKER_WORKERS) and `--metrics-port N` (default 9464). */
export function parseClusterSettings(argv: readonly string[], env: NodeJS.ProcessEnv): ClusterSettings {
  const { values } = parseArgs({
    args: withoutLeadingSeparator(argv),
    strict: false,
    options: { workers: { type: 'string' }, 'metrics-port': { type: 'string' } },
  });
  const workers = Number(values.workers ?? env.DOGWALKER_WORKERS ?? '0');
  const metricsPort = Number(values['metrics-port'] ?? '9464');
  if (!Number.isInteger(workers) || workers < 0 || workers > 64) {
    throw new RangeError(
      `dog-walker: --workers must be a whole number from 0 to 64 (received "${values.workers}")`,
    );
  }
  if (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535) {
    throw new RangeError(
      `dog-walker: --metrics-port must be a port number (received "${values['metrics-port']}")`,
    );
  }
  return { workers, metricsPort };
}

/** The credentials in the environment a worker reads them from, so every process asks for the same. */
function credentialEnvironment({ auth }: MetricsCredentials): Record<string, string> {
  return 'token' in auth
    ? { PROMENADE_METRICS_TOKEN: auth.token }
    : { PROMENADE_METRICS_USERNAME: auth.username, PROMENADE_METRICS_PASSWORD: auth.password };
}

export interface RunningCluster {
  readonly metrics: MetricsServer;
  readonly appUrl: string;
  workerPids(): number[];
  stop(): Promise<void>;
}

/**
 * The primary of `--workers N`: migrates once, serves the whole cluster's /metrics on its own
 * port (one Promenade call: startMetricsServer with `cluster: true`), forks the workers, which
 * share the app's port, and replaces a worker that dies once it served (worker-supervisor.ts). It
 * resolves once every worker listens, and rejects, with everything stopped, when one cannot. The
 * workers run the same command line: cli.ts serves the app there, without migrating and without
 * the simulator.
 */
export async function startClusterPrimary(
  settings: CliSettings,
  clusterSettings: ClusterSettings,
  credentials: MetricsCredentials,
  env: NodeJS.ProcessEnv,
): Promise<RunningCluster> {
  await migrateDatabase(locateDatabase(env.DATABASE_URL));
  const metrics = await startMetricsServer({
    port: clusterSettings.metricsPort,
    host: settings.host,
    auth: credentials.auth,
    registry: new Registry(),
    cluster: true,
  });
  const workers = superviseWorkers({
    count: clusterSettings.workers,
    env: { ...credentialEnvironment(credentials), PORT: String(settings.port) },
    onReplaced: (dead, replacement, cause) =>
      console.log(
        `worker ${dead.process.pid} died (${cause}); started worker ${replacement.process.pid} in its place`,
      ),
  });
  let port: number;
  try {
    port = await workers.ready;
  } catch (error) {
    await metrics.stop();
    throw error;
  }
  const host = settings.host === '0.0.0.0' ? '127.0.0.1' : settings.host;
  return {
    metrics,
    appUrl: `http://${host}:${port}`,
    workerPids: workers.pids,
    async stop() {
      await workers.stop();
      await metrics.stop();
    },
  };
}

/** Runs `--workers N` until SIGINT or SIGTERM, printing where things are and how to kill a worker. */
export async function runClusterPrimary(
  settings: CliSettings,
  clusterSettings: ClusterSettings,
  credentials: MetricsCredentials,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  let running: RunningCluster;
  try {
    running = await startClusterPrimary(settings, clusterSettings, credentials, env);
  } catch (error) {
    console.error(`dog-walker: could not start the cluster: ${(error as Error).message}`);
    return 1;
  }
  const pids = running.workerPids();
  console.log(
    [
      '',
      `Dog walker on ${settings.framework}, ${clusterSettings.workers} workers (node:cluster) sharing ${running.appUrl}`,
      '',
      `  Page:            ${running.appUrl}/`,
      `  Metrics (all):   ${running.metrics.url}   served by the primary, every worker aggregated`,
      ...credentialLines(credentials, running.metrics.url, 17),
      `  Worker pids:     ${pids.join(' ')}`,
      `  Kill one:        kill -9 ${pids[0]}   (counters in ${running.metrics.url} never go backwards;`,
      '                   the primary starts a replacement)',
      '',
      settings.simulator ? `Simulator: ${settings.rate} requests/s. Ctrl-C to quit.` : 'Ctrl-C to quit.',
    ].join('\n'),
  );
  let simulator: Simulator | undefined;
  if (settings.simulator) {
    simulator = startSimulator({
      baseUrl: running.appUrl,
      rate: settings.rate,
      onError: (error) => console.error(`simulator: ${(error as Error).message}`),
    });
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    console.log(`\n${signal}: stopping the workers and the metrics server...`);
    await simulator?.stop();
    await running.stop();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  return 0;
}
