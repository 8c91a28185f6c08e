import { join } from 'node:path';
import {
  checkedOutput,
  freePort,
  makeDataDir,
  readyOrStop,
  requireBinary,
  run,
  spawnDaemon,
  waitUntil,
} from './process.js';
import type { StackDaemon } from './types.js';

export interface MariadbHandle extends StackDaemon {
  /** mysql://promenade:promenade@127.0.0.1:<port>/promenade_test */
  readonly url: string;
  /** Runs SQL through the mariadb client as root; returns its batch output. */
  sql(statement: string): Promise<string>;
}

export interface MariadbOptions {
  /** Default: a free loopback port. */
  port?: number;
  /** Limit for the data directory's creation and for the start (default 60 s). */
  timeoutMs?: number;
}

const CREATE_DATABASE = `
CREATE DATABASE promenade_test;
CREATE USER 'promenade'@'127.0.0.1' IDENTIFIED BY 'promenade';
GRANT ALL ON promenade_test.* TO 'promenade'@'127.0.0.1';
`;

/**
 * Real MariaDB 10.11 on loopback with a data directory of its own, a database promenade_test
 * and a user promenade/promenade. `--no-defaults` keeps the system's configuration and socket
 * out; as root, the server runs as root only because it is told to (`--user=root`), on
 * loopback, with a private socket.
 */
export async function startMariadb(options: MariadbOptions = {}): Promise<MariadbHandle> {
  const { timeoutMs = 60_000 } = options;
  const installDb = requireBinary('mariadb-install-db', 'mariadb-server');
  const mariadbd = requireBinary('mariadbd', 'mariadb-server');
  const client = requireBinary('mariadb', 'mariadb-client');
  const dir = makeDataDir('mariadb');
  const data = join(dir, 'data');
  const user = process.getuid?.() === 0 ? ['--user=root'] : [];
  checkedOutput(
    'mariadb-install-db',
    await run(
      installDb,
      [
        '--no-defaults',
        `--datadir=${data}`,
        ...user,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
      ],
      { cwd: dir, timeoutMs },
    ),
  );
  const port = options.port ?? (await freePort());
  const socket = join(dir, 'sock');
  const args = [
    '--no-defaults',
    `--datadir=${data}`,
    ...user,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--socket=${socket}`,
    `--pid-file=${join(dir, 'pid')}`,
    '--skip-log-bin',
    '--innodb-flush-log-at-trx-commit=0',
  ];
  const daemon = spawnDaemon('mariadbd', mariadbd, args, { dir });
  const admin = ['--no-defaults', '-h127.0.0.1', `-P${port}`, '-uroot', '--batch', '--skip-column-names'];
  await readyOrStop(daemon, async () => {
    const ready = async () =>
      (await run(client, [...admin, '-e', 'SELECT 1'], { timeoutMs: 5_000 })).exitCode === 0;
    await waitUntil('mariadb', daemon, ready, timeoutMs);
    checkedOutput('creating promenade_test', await run(client, admin, { input: CREATE_DATABASE }));
  });
  const url = `mysql://promenade:promenade@127.0.0.1:${port}/promenade_test`;
  const sql = async (statement: string) =>
    checkedOutput(`mariadb ${statement}`, await run(client, [...admin, '-e', statement]));
  return { url, port, pid: daemon.pid, dir, sql, stop: () => daemon.stop() };
}
