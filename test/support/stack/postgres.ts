import { chownSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkedOutput,
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

export interface PostgresHandle extends StackDaemon {
  /** postgresql://promenade:promenade@127.0.0.1:<port>/promenade_test */
  readonly url: string;
  /** Runs SQL through psql as the promenade user; returns psql's unaligned, tuples-only output. */
  sql(statement: string): Promise<string>;
}

export interface PostgresOptions {
  /** Default: a free loopback port. */
  port?: number;
  /** Limit for initdb and for the start (default 60 s). */
  timeoutMs?: number;
}

// Debian keeps the server programs out of PATH, in one folder per major version.
const binDir = () => process.env.PROMENADE_PG_BINDIR ?? '/usr/lib/postgresql/15/bin';

// initdb and postgres refuse to run as root: as root, run them as the postgres user.
function serverOwner(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((line) => line.startsWith('postgres:'));
  const [, , uid, gid] = entry?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new StackError(
      'stack: no "postgres" user (Debian package postgresql creates it); run scripts/stack/install.sh',
    );
  }
  return { uid: Number(uid), gid: Number(gid) };
}

const CREATE_DATABASE = `
CREATE ROLE promenade LOGIN CREATEDB PASSWORD 'promenade';
CREATE DATABASE promenade_test OWNER promenade;
`;

/**
 * Real PostgreSQL 15 on loopback with a fresh cluster (trust authentication), a database
 * promenade_test and a user promenade/promenade. No unix socket: clients connect over TCP.
 */
export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresHandle> {
  const { timeoutMs = 60_000 } = options;
  const initdb = requireBinary(join(binDir(), 'initdb'), 'postgresql');
  const postgres = requireBinary(join(binDir(), 'postgres'), 'postgresql');
  const psql = requireBinary('psql', 'postgresql-client');
  const pgIsReady = requireBinary('pg_isready', 'postgresql-client');
  const owner = serverOwner();
  const dir = makeDataDir('postgres');
  if (owner.uid !== undefined && owner.gid !== undefined) chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, 'data');
  const initArgs = [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ];
  checkedOutput('initdb', await run(initdb, initArgs, { ...owner, cwd: dir, timeoutMs }));
  const port = options.port ?? (await freePort());
  const settings = [
    'listen_addresses=127.0.0.1',
    'unix_socket_directories=',
    'fsync=off',
    'synchronous_commit=off',
  ];
  const args = ['-D', data, '-p', String(port), ...settings.flatMap((setting) => ['-c', setting])];
  // SIGINT is PostgreSQL's fast shutdown; SIGTERM would wait for every client to disconnect.
  const daemon = spawnDaemon('postgres', postgres, args, { dir, ...owner, stopSignal: 'SIGINT' });
  const host = ['-h', '127.0.0.1', '-p', String(port)];
  await readyOrStop(daemon, async () => {
    const ready = async () => (await run(pgIsReady, ['-q', ...host], { timeoutMs: 5_000 })).exitCode === 0;
    await waitUntil('pg_isready', daemon, ready, timeoutMs);
    const admin = [...host, '-X', '-q', '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1'];
    checkedOutput('creating promenade_test', await run(psql, admin, { input: CREATE_DATABASE }));
  });
  const url = `postgresql://promenade:promenade@127.0.0.1:${port}/promenade_test`;
  const sql = async (statement: string) =>
    checkedOutput(
      `psql ${statement}`,
      await run(psql, ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', statement]),
    );
  return { url, port, pid: daemon.pid, dir, sql, stop: () => daemon.stop() };
}
