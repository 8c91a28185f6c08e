import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answers } from './http.js';
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

export interface NginxOptions {
  /**
   * Directives for nginx's `http` block, usually one `server` block. They must listen on
   * `127.0.0.1:${port}`, where readiness is checked; `dir` is nginx's private folder, a place for
   * a password file.
   */
  config: (context: { port: number; dir: string }) => string;
  /** Limit for the start (default 15 s). */
  timeoutMs?: number;
}

// Everything nginx would otherwise write under /var/lib/nginx, /run and /var/log/nginx.
function mainConfig(dir: string, include: string): string {
  // Workers run as nobody by default and could not read a password file in a private folder.
  const user = process.getuid?.() === 0 ? 'user root root;' : '';
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
    (kind) => `  ${kind}_temp_path ${join(dir, 'tmp', kind)};`,
  );
  return [
    'daemon off;',
    user,
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    // Into the daemon's log, which a failed start shows.
    'error_log stderr warn;',
    'events { worker_connections 256; }',
    'http {',
    `  access_log ${join(dir, 'access.log')};`,
    ...temp,
    `  include ${include};`,
    '}',
    '',
  ].join('\n');
}

/** Real nginx on a free loopback port, serving the caller's `http` block directives. */
export async function startNginx(options: NginxOptions): Promise<StackDaemon> {
  const { config, timeoutMs = 15_000 } = options;
  const binary = requireBinary('nginx', 'nginx');
  const dir = makeDataDir('nginx');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  mkdirSync(join(dir, 'tmp'));
  writeFileSync(join(dir, 'site.conf'), config({ port, dir }));
  const configFile = join(dir, 'nginx.conf');
  writeFileSync(configFile, mainConfig(dir, join(dir, 'site.conf')));
  // -e: nginx opens its error log before it reads the config, by default under /var/log/nginx.
  const flags = ['-e', 'stderr', '-p', dir, '-c', configFile];
  const check = await run(binary, ['-t', '-q', ...flags]);
  if (check.exitCode !== 0) throw new StackError(`stack: nginx rejected its config: ${check.stderr.trim()}`);
  const daemon = spawnDaemon('nginx', binary, flags, { dir });
  // Any HTTP answer will do: the caller's config decides the status of every path.
  await readyOrStop(daemon, () => waitUntil('nginx', daemon, () => answers(`${url}/`, true), timeoutMs));
  return { url, port, pid: daemon.pid, dir, stop: () => daemon.stop() };
}

/** Writes an htpasswd file (apache2-utils' htpasswd, MD5 hashes that nginx reads). */
export async function writeHtpasswd(file: string, user: string, password: string): Promise<void> {
  const binary = requireBinary('htpasswd', 'apache2-utils');
  // -i: the password comes on stdin, not in the process list.
  checkedOutput('htpasswd', await run(binary, ['-c', '-i', '-m', file, user], { input: password }));
}
