#!/usr/bin/env node
// The walk-event consumer: a service with no HTTP traffic of its own. It reads the walk events the
// app publishes to Redis (when the app runs with REDIS_URL) and serves its own business metrics on
// its own port, with the same credentials as the app's /metrics.
//   REDIS_URL=redis://127.0.0.1:6379 node dist/consumer.mjs [--metrics-port 9465] [--host 127.0.0.1]
import { realpathSync } from 'node:fs';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type MetricsServer, startMetricsServer } from '@promenade/core';
import { Registry } from 'prom-client';
import { createClient } from 'redis';
import { withoutLeadingSeparator } from './command-line-args.js';
import { CredentialsError, resolveMetricsCredentials } from './credentials.js';
import { startWalkEventConsumer, type WalkEventConsumer } from './events/walk-event-consumer.js';
import { exitWith } from './exit-with.js';

export const DEFAULT_CONSUMER_METRICS_PORT = 9465;

export interface RunningConsumer {
  readonly consumer: WalkEventConsumer;
  readonly metrics: MetricsServer;
  stop(): Promise<void>;
}

/** Starts the consumer and its metrics server; `stop()` ends both and closes the connection. */
export async function startConsumer(options: {
  redisUrl: string;
  port: number;
  host: string;
  auth: import('@promenade/core').MetricsAuth;
  registry?: Registry;
  consumerName?: string;
  blockMs?: number;
}): Promise<RunningConsumer> {
  const registry = options.registry ?? new Registry();
  const client = createClient({ url: options.redisUrl, socket: { reconnectStrategy: 500 } });
  // Redis going away is counted (dogwalker_consumer_read_errors_total); the client reconnects.
  client.on('error', () => {});
  await client.connect();
  let consumer: WalkEventConsumer;
  let metrics: MetricsServer;
  try {
    consumer = await startWalkEventConsumer({
      client,
      registry,
      consumerName: options.consumerName ?? `${hostname()}-${process.pid}`,
      blockMs: options.blockMs,
    });
    metrics = await startMetricsServer({
      port: options.port,
      host: options.host,
      registry,
      auth: options.auth,
    });
  } catch (error) {
    await client.close();
    throw error;
  }
  return {
    consumer,
    metrics,
    async stop() {
      await consumer.stop();
      await metrics.stop();
      if (client.isOpen) await client.close();
    },
  };
}

const USAGE = `Usage: REDIS_URL=redis://... node dist/consumer.mjs [--metrics-port N] [--host ADDRESS]

  --metrics-port N  its /metrics port, default ${DEFAULT_CONSUMER_METRICS_PORT}      (env CONSUMER_METRICS_PORT)
  --host ADDRESS    default 127.0.0.1, or 0.0.0.0 with NODE_ENV=production
  REDIS_URL         the Redis the app publishes its walk events to (required)
  PROMENADE_METRICS_USERNAME, PROMENADE_METRICS_PASSWORD (or PROMENADE_METRICS_TOKEN)
                    credentials for /metrics, as for the app`;

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values: { 'metrics-port'?: string; host?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: withoutLeadingSeparator(argv),
      options: {
        'metrics-port': { type: 'string' },
        host: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`consumer: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const redisUrl = env.REDIS_URL;
  if (!redisUrl) {
    console.error(
      'consumer: REDIS_URL is not set: the walk events live in Redis (start the app with the same REDIS_URL)',
    );
    return 2;
  }
  const port = Number(values['metrics-port'] ?? env.CONSUMER_METRICS_PORT ?? DEFAULT_CONSUMER_METRICS_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(
      `consumer: --metrics-port must be an integer from 0 to 65535 (received ${values['metrics-port']})`,
    );
    return 2;
  }
  const host = values.host ?? (env.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1');
  let auth: import('@promenade/core').MetricsAuth;
  let generated = false;
  try {
    const credentials = resolveMetricsCredentials(env);
    auth = credentials.auth;
    generated = credentials.source === 'generated';
  } catch (error) {
    if (!(error instanceof CredentialsError)) throw error;
    console.error(error.message.replace(/^dog-walker:/, 'consumer:'));
    return 2;
  }
  let running: RunningConsumer;
  try {
    running = await startConsumer({ redisUrl, port, host, auth });
  } catch (error) {
    console.error(`consumer: could not start: ${(error as Error).message}`);
    return 1;
  }
  console.log(
    `Walk-event consumer reading ${redisUrl.replace(/\/\/[^@/]*@/, '//***@')}; metrics at ${running.metrics.url}`,
  );
  if (generated && 'password' in auth)
    console.log(`  /metrics credentials: ${auth.username} / ${auth.password}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.stop();
  return 0;
}

// Run as a program, not when imported (tests import startConsumer).
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  exitWith(main(process.argv.slice(2)));
}
