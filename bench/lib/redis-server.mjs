import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.mjs';

function pong(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.on('error', () => resolve(false));
    socket.on('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.on('connect', () => socket.write('PING\r\n'));
  });
}

/**
 * Debian's redis-server on loopback for the cache programs of one bench run, with nothing on
 * disk and a folder of its own; `stop()` signals its pid only. It runs outside valgrind: its
 * work is the server's, not the client's, and is in no count.
 */
export async function startBenchRedis() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'promenade-bench-redis-'));
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.once('error', () => {});
  for (let tries = 0; !(await pong(port)); tries++) {
    if (child.exitCode !== null || tries > 100) {
      child.kill('SIGKILL');
      throw new Error(
        'redis-server did not start: run scripts/stack/install.sh (Debian package redis-server)',
      );
    }
    await sleep(100);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
