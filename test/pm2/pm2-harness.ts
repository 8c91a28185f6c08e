import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PM2_BIN = createRequire(import.meta.url).resolve('pm2/bin/pm2');
const LOADER = fileURLToPath(new URL('../support/typescript-loader.mjs', import.meta.url));
const NODE_ARGS = ['--import', LOADER, '--conditions=@promenade/source'];

export interface Pm2Daemon {
  readonly home: string;
  readonly appUrl: string;
  readonly metricsUrl: string;
  pm2(...args: string[]): Promise<string>;
  /** The app's instances as PM2 lists them. */
  instances(): Promise<{ pmId: number; pid: number; restarts: number; status: string }[]>;
  kill(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A PM2 daemon of its own (a private PM2_HOME in a temporary directory), running an ecosystem of
 * two apps: `api`, `instances` instances in cluster mode, and `metrics`, one fork-mode process
 * that serves them aggregated. The apps run the TypeScript sources through the test loader.
 */
export async function startPm2(instances: number): Promise<Pm2Daemon> {
  const home = await mkdtemp(join(tmpdir(), 'promenade-pm2-'));
  const [appPort, metricsPort] = [await freePort(), await freePort()];
  const env = {
    METRICS_SOCKET: join(home, 'metrics.sock'),
    APP_PORT: String(appPort),
    METRICS_PORT: String(metricsPort),
  };
  const ecosystem = {
    apps: [
      {
        name: 'metrics',
        script: fileURLToPath(new URL('./pm2-metrics.mjs', import.meta.url)),
        node_args: NODE_ARGS,
        env,
      },
      {
        name: 'api',
        script: fileURLToPath(new URL('./pm2-instance.mjs', import.meta.url)),
        exec_mode: 'cluster',
        instances,
        node_args: NODE_ARGS,
        env,
      },
    ],
  };
  const file = join(home, 'ecosystem.config.cjs');
  await writeFile(file, `module.exports = ${JSON.stringify(ecosystem, null, 2)};\n`);
  const pm2 = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, [PM2_BIN, ...args], {
      env: { ...process.env, PM2_HOME: home, PM2_NO_INTERACTION: 'true' },
      maxBuffer: 16 * 1024 * 1024,
      // A CLI call that hangs (a daemon busy restarting) fails the step that made it.
      timeout: 60_000,
    });
    return stdout;
  };
  const kill = async () => {
    await pm2('kill').catch(() => {});
    await rm(home, { recursive: true, force: true });
  };
  await pm2('start', file).catch(async (error: unknown) => {
    await kill();
    throw error;
  });
  return {
    home,
    appUrl: `http://127.0.0.1:${appPort}`,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    pm2,
    async instances() {
      const list = JSON.parse(await pm2('jlist')) as {
        name: string;
        pm_id: number;
        pid: number;
        pm2_env: { restart_time: number; status: string };
      }[];
      return list
        .filter((app) => app.name === 'api')
        .map((app) => ({
          pmId: app.pm_id,
          pid: app.pid,
          restarts: app.pm2_env.restart_time,
          status: app.pm2_env.status,
        }));
    },
    kill,
  };
}
