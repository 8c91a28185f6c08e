import { join } from 'node:path';
import {
  type Daemon,
  freePort,
  makeDataDir,
  readyOrStop,
  requireBinary,
  run,
  StackError,
  spawnDaemon,
  waitUntil,
} from './process.js';
import type { StackDaemon } from './types.js';

export interface RedisHandle extends StackDaemon {
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  /** Runs one command through redis-cli; returns its output. */
  cli(...args: string[]): Promise<string>;
  /** Stops the server, keeping the port for `up()`: clients see Redis go away. */
  down(): Promise<void>;
  /** Starts the server again on the same port, empty. */
  up(): Promise<void>;
}

export interface RedisOptions {
  port?: number;
  /** Default 20 s. */
  timeoutMs?: number;
}

// No files: no RDB snapshots, no append-only log; the data folder holds the log alone. DEBUG
// SLEEP (a slow command, for the tests) only from loopback.
const EPHEMERAL = ['--save', '', '--appendonly', 'no', '--enable-debug-command', 'local'];

function startServer(port: number, dir: string, extra: string[] = []): Daemon {
  const server = requireBinary('redis-server', 'redis-server');
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...EPHEMERAL, ...extra];
  return spawnDaemon(`redis-${port}`, server, args, { dir });
}

async function cli(port: number, args: string[]): Promise<string> {
  const result = await run(requireBinary('redis-cli', 'redis-tools'), [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    ...args,
  ]);
  if (result.exitCode !== 0)
    throw new StackError(`stack: redis-cli ${args.join(' ')}: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

async function ready(daemon: Daemon, port: number, timeoutMs: number): Promise<void> {
  await readyOrStop(daemon, () =>
    waitUntil('redis PING', daemon, async () => (await cli(port, ['PING'])) === 'PONG', timeoutMs),
  );
}

/** Real Redis 7 (Debian's redis-server) on loopback, with a folder of its own, stopped by `stop()`. */
export async function startRedis(options: RedisOptions = {}): Promise<RedisHandle> {
  const { timeoutMs = 20_000 } = options;
  const port = options.port ?? (await freePort());
  // Redis keeps nothing on disk here, so each start of the server gets a fresh folder.
  const up = async () => {
    const started = startServer(port, makeDataDir('redis'));
    await ready(started, port, timeoutMs);
    return started;
  };
  let daemon: Daemon | undefined = await up();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return daemon?.pid ?? 0;
    },
    get dir() {
      return daemon?.dir ?? '';
    },
    cli: (...args) => cli(port, args),
    async down() {
      await daemon?.stop();
      daemon = undefined;
    },
    async up() {
      daemon ??= await up();
    },
    async stop() {
      await daemon?.stop();
      daemon = undefined;
    },
  };
}

export interface RedisClusterHandle {
  /** The masters' loopback ports, the startup nodes a cluster client is given. */
  readonly ports: readonly number[];
  stop(): Promise<void>;
}

/**
 * A Redis cluster of `masters` masters and no replicas on loopback (three by default, the
 * least Redis accepts), each node a redis-server in cluster mode with a folder of its own,
 * joined by `redis-cli --cluster create`. Starts in about a second.
 */
export async function startRedisCluster(masters = 3, timeoutMs = 30_000): Promise<RedisClusterHandle> {
  const nodes: { port: number; daemon: Daemon }[] = [];
  try {
    for (let i = 0; i < masters; i++) {
      const port = await freePort();
      const dir = makeDataDir(`redis-cluster-${i}`);
      const daemon = startServer(port, dir, [
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, 'nodes.conf'),
        '--cluster-node-timeout',
        '2000',
      ]);
      nodes.push({ port, daemon });
      await ready(daemon, port, timeoutMs);
    }
    const addresses = nodes.map(({ port }) => `127.0.0.1:${port}`);
    await cli(nodes[0]!.port, [
      '--cluster',
      'create',
      ...addresses,
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    const first = nodes[0]!;
    await waitUntil(
      'cluster_state:ok',
      first.daemon,
      async () => (await cli(first.port, ['CLUSTER', 'INFO'])).includes('cluster_state:ok'),
      timeoutMs,
    );
  } catch (error) {
    await Promise.all(nodes.map(({ daemon }) => daemon.stop()));
    throw error;
  }
  return {
    ports: nodes.map(({ port }) => port),
    stop: async () => {
      await Promise.all(nodes.map(({ daemon }) => daemon.stop()));
    },
  };
}
