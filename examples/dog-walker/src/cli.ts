import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import type { CliSettings } from './cli-settings.js';
import { parseClusterSettings, runClusterPrimary } from './cluster-mode.js';
import { withoutLeadingSeparator } from './command-line-args.js';
import { credentialLines } from './credential-lines.js';
import { CredentialsError, type MetricsCredentials, resolveMetricsCredentials } from './credentials.js';
import { FRAMEWORKS, isFramework } from './frameworks.js';
import { parsePm2Settings, reportToMetricsProcess, runMetricsProcess } from './pm2-mode.js';
import { type RunningServer, startServer } from './server.js';
import { type Simulator, startSimulator } from './simulator.js';
import { type DemoTracing, startDemoTracing } from './tracing.js';
import { reportStartFailure } from './worker-supervisor.js';

/** More would make the demo's own traffic the load test it is not. */
const MAX_RATE = 200;

export const USAGE = `Usage: npm start -- [options]                    (at the repository's root)
       node examples/dog-walker/dist/main.mjs [options]   (once built)

  --framework NAME  express (default), fastify, nest-express, nest-fastify, koa or hono  (env DOGWALKER_FRAMEWORK)
  --port N          port to listen on, default 3000; 0 picks a free one      (env PORT)
  --host ADDRESS    default 127.0.0.1, or 0.0.0.0 with NODE_ENV=production  (env HOST)
  --simulator       also send demo traffic to the app: on with npm start, off with main.mjs
  --no-simulator    no demo traffic
  --rate N          the simulator's requests per second, above 0 and at most ${MAX_RATE}, default 5
  --workers N       run N node:cluster workers (up to 64) on the port; the primary serves
                    the aggregated /metrics on --metrics-port                (env DOGWALKER_WORKERS)
  --metrics-port N  the primary's metrics port with --workers, or the metrics process's, default 9464
  --metrics-socket PATH
                    under PM2 (ecosystem.config.cjs): the socket the instances report to
                                                                             (env DOGWALKER_METRICS_SOCKET)
  --native-histograms
                    native histograms beside the classic ones, for a Prometheus that reads
                    them (--enable-feature=native-histograms)                (env DOGWALKER_NATIVE_HISTOGRAMS=1)
  --exemplars       trace every request (OpenTelemetry, spans kept nowhere) and put its trace id
                    on the latency buckets                                   (env DOGWALKER_EXEMPLARS=1)
  --metrics-process the PM2 metrics process: migrates, serves every instance's metrics aggregated
                    on --metrics-port, sends the simulator's traffic to --port
  -h, --help        this text

  DATABASE_URL      file:path (SQLite, default examples/dog-walker/data/dogwalker.db) or postgresql://...
  REDIS_URL         redis://... to keep the demo's caches (walkers, panel) in Redis; in memory when unset
  PROMENADE_METRICS_USERNAME, PROMENADE_METRICS_PASSWORD (or PROMENADE_METRICS_TOKEN)
                    credentials for /metrics; made up and printed when unset, required in production`;

export type { CliSettings };

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function port(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < 0 || value > 65535) {
    throw new UsageError(`dog-walker: --port must be a whole number from 0 to 65535 (received "${raw}")`);
  }
  return value;
}

function parseRate(raw = '5'): number {
  const rate = Number(raw);
  if (raw.trim() === '' || !(rate > 0 && rate <= MAX_RATE)) {
    throw new UsageError(
      `dog-walker: --rate must be a number above 0 and at most ${MAX_RATE} (received "${raw}")`,
    );
  }
  return rate;
}

/** `1`/`true` or `0`/`false` (or unset) in the environment; a flag, when given, wins. */
function parseSwitch(flag: string, variable: string, fromFlag: boolean | undefined, raw = ''): boolean {
  if (fromFlag !== undefined) return fromFlag;
  if (['', '0', 'false'].includes(raw)) return false;
  if (['1', 'true'].includes(raw)) return true;
  throw new UsageError(`dog-walker: ${variable} (--${flag}) must be 1, true, 0 or false (received "${raw}")`);
}

/** Flags win over the environment; invalid values are refused before anything starts. */
export function parseSettings(argv: readonly string[], env: NodeJS.ProcessEnv): CliSettings {
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse(argv));
  } catch (error) {
    throw new UsageError(`dog-walker: ${(error as Error).message}`);
  }
  const framework = values.framework ?? env.DOGWALKER_FRAMEWORK ?? 'express';
  if (!isFramework(framework)) {
    throw new UsageError(
      `dog-walker: --framework must be one of ${FRAMEWORKS.join(', ')} (received "${framework}")`,
    );
  }
  const rate = parseRate(values.rate);
  const simulator = values.simulator ?? false;
  if (values.rate !== undefined && !simulator) {
    throw new UsageError(
      `dog-walker: --rate paces the simulator, which is off: add --simulator or leave --rate out (received --rate ${values.rate}${values.simulator === false ? ' with --no-simulator' : ''})`,
    );
  }
  return {
    framework,
    port: port(values.port ?? env.PORT ?? '3000'),
    host: values.host ?? env.HOST ?? (env.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
    simulator,
    rate,
    nativeHistograms: parseSwitch(
      'native-histograms',
      'DOGWALKER_NATIVE_HISTOGRAMS',
      values['native-histograms'],
      env.DOGWALKER_NATIVE_HISTOGRAMS,
    ),
    exemplars: parseSwitch('exemplars', 'DOGWALKER_EXEMPLARS', values.exemplars, env.DOGWALKER_EXEMPLARS),
    help: values.help ?? false,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: withoutLeadingSeparator(argv),
    allowNegative: true,
    options: {
      framework: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      simulator: { type: 'boolean' },
      rate: { type: 'string' },
      'native-histograms': { type: 'boolean' },
      exemplars: { type: 'boolean' },
      // Read by cluster-mode.ts.
      workers: { type: 'string' },
      'metrics-port': { type: 'string' },
      // Read by pm2-mode.ts.
      'metrics-socket': { type: 'string' },
      'metrics-process': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function banner(server: RunningServer, credentials: MetricsCredentials, settings: CliSettings): string {
  const metricsUrl = `${server.url}/metrics`;
  const lines = [
    '',
    `Dog walker on ${settings.framework}, ${server.database.provider} database${server.applied.length ? ` (migrations applied: ${server.applied.join(', ')})` : ''}`,
    '',
    `  Page:     ${server.url}/`,
    `  Metrics:  ${metricsUrl}`,
    ...credentialLines(credentials, metricsUrl, 10),
  ];
  const features = [
    settings.nativeHistograms && 'native histograms (protobuf scrapes)',
    settings.exemplars && 'exemplars (every request traced)',
  ].filter(Boolean);
  if (features.length) lines.push(`  Also:     ${features.join(', ')}`);
  lines.push('');
  lines.push(
    settings.simulator
      ? `Simulator: ${settings.rate} requests/s of demo traffic (--no-simulator to stop it). Ctrl-C to quit.`
      : 'Ctrl-C to quit.',
  );
  return lines.join('\n');
}

/**
 * The dog walker's command line: checks the flags and credentials, migrates, serves, optionally
 * simulates traffic, and stops everything on SIGINT or SIGTERM. Returns the exit code of a start
 * that failed; once serving, the process ends when a signal stops it.
 */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let settings: CliSettings;
  let credentials: MetricsCredentials;
  let clusterSettings: ReturnType<typeof parseClusterSettings>;
  let pm2Settings: ReturnType<typeof parsePm2Settings>;
  try {
    settings = parseSettings(argv, env);
    if (settings.help) {
      console.log(USAGE);
      return 0;
    }
    credentials = resolveMetricsCredentials(env);
    clusterSettings = parseClusterSettings(argv, env);
    pm2Settings = parsePm2Settings(argv, env);
  } catch (error) {
    if (error instanceof RangeError) {
      console.error(error.message);
      return 2;
    }
    if (!(error instanceof UsageError || error instanceof CredentialsError)) throw error;
    console.error(error.message);
    if (error instanceof UsageError) console.error(`\n${USAGE}`);
    return 2;
  }

  if (pm2Settings.metricsProcess) {
    return runMetricsProcess(settings, clusterSettings.metricsPort, pm2Settings, credentials, env);
  }
  if (clusterSettings.workers > 0 && cluster.isPrimary) {
    return runClusterPrimary(settings, clusterSettings, credentials, env);
  }
  // A worker of --workers, or an instance of PM2's cluster mode (PM2's daemon is a node:cluster
  // primary): the primary or the metrics process migrated, runs the simulator and prints the banner.
  const isWorker = cluster.isWorker;

  let server: RunningServer;
  let tracing: DemoTracing | undefined;
  try {
    // Before the framework is loaded, so that its server is instrumented from its first request.
    if (settings.exemplars) tracing = await startDemoTracing();
    server = await startServer({
      framework: settings.framework,
      port: settings.port,
      host: settings.host,
      databaseUrl: env.DATABASE_URL,
      redisUrl: env.REDIS_URL || undefined,
      auth: credentials.auth,
      migrate: !isWorker,
      features: { nativeHistograms: settings.nativeHistograms, exemplars: settings.exemplars },
    });
  } catch (error) {
    const reason = (error as Error).message;
    // The primary prints it once for all its workers, then stops them.
    if (isWorker) reportStartFailure(reason);
    else console.error(`dog-walker: could not start: ${reason}`);
    return 1;
  }
  reportToMetricsProcess(server.app, pm2Settings);
  let simulator: Simulator | undefined;
  if (settings.simulator && !isWorker) {
    simulator = startSimulator({
      baseUrl: server.url,
      rate: settings.rate,
      onError: (error) => console.error(`simulator: ${(error as Error).message}`),
    });
  }
  if (!isWorker) console.log(banner(server, credentials, settings));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      // A second Ctrl-C: do not wait any longer.
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${signal}: stopping${simulator ? ' the simulator and' : ''} the server...`);
    await simulator?.stop();
    await server.close();
    await tracing?.stop();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  return 0;
}
