import { type ChildProcess, spawn } from 'node:child_process';
import {
  accessSync,
  closeSync,
  constants,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Every failure of the stack helpers: a missing binary, a daemon that died or never got ready. */
export class StackError extends Error {
  override name = 'StackError';
}

const INSTALL_HINT = 'run scripts/stack/install.sh as root (the test command does this first)';

/** Resolves a program on PATH (or an absolute path), or throws naming the Debian package that ships it. */
export function requireBinary(name: string, debianPackage: string): string {
  const candidates = name.includes('/')
    ? [name]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, name));
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this folder; try the next one
    }
  }
  throw new StackError(`stack: "${name}" not found (Debian package ${debianPackage}); ${INSTALL_HINT}`);
}

/** A loopback port that was free a moment ago (the daemon binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A fresh folder for one daemon, under $PROMENADE_STACK_DIR if set, else the system temp folder. */
export function makeDataDir(name: string): string {
  const base = process.env.PROMENADE_STACK_DIR ?? tmpdir();
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `promenade-${name}-`));
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  /** Variables added to this process's environment. */
  env?: Record<string, string>;
  cwd?: string;
  uid?: number;
  gid?: number;
  timeoutMs?: number;
}

/** The trimmed output of a run that had to succeed; a StackError naming `what` and quoting its stderr otherwise. */
export function checkedOutput(what: string, result: RunResult): string {
  if (result.exitCode !== 0) throw new StackError(`stack: ${what} failed: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

/** Runs a program to completion, feeding `input` on stdin; never throws on a non-zero exit. */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const { input = '', cwd, uid, gid, env, timeoutMs = 30_000 } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      uid,
      gid,
      timeout: timeoutMs,
      stdio: 'pipe',
      env: env && { ...process.env, ...env },
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal) {
        reject(
          new StackError(`stack: ${command} ${args.join(' ')} killed by ${signal} (limit ${timeoutMs} ms)`),
        );
        return;
      }
      resolve({
        exitCode: code ?? 1,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
    // A program that exits before reading all of stdin must not crash the test with EPIPE.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

export interface SpawnDaemonOptions {
  dir: string;
  uid?: number;
  gid?: number;
  /** The signal for a clean, quick shutdown (PostgreSQL's is SIGINT). */
  stopSignal?: NodeJS.Signals;
  /** Variables added to this process's environment. */
  env?: Record<string, string>;
}

/** A background process that this test run started and is the parent of. */
export interface Daemon {
  readonly name: string;
  readonly pid: number;
  readonly dir: string;
  hasExited(): boolean;
  logTail(lines?: number): string;
  /** Signals this pid only, waits for it to exit (SIGKILL after 10 s), then removes its folder. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

// A test that fails before its afterAll must not leave daemons behind when the worker exits.
function killLiveOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

export function spawnDaemon(
  name: string,
  command: string,
  args: string[],
  options: SpawnDaemonOptions,
): Daemon {
  const { dir, uid, gid, stopSignal = 'SIGTERM', env } = options;
  const logFile = join(dir, `${name}.log`);
  const log = openSync(logFile, 'a');
  const child = spawn(command, args, {
    cwd: dir,
    uid,
    gid,
    stdio: ['ignore', log, log],
    env: env && { ...process.env, ...env },
  });
  closeSync(log);
  if (child.pid === undefined) throw new StackError(`stack: could not start ${command}`);
  killLiveOnExit();
  live.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => live.delete(child));
  child.on('error', () => {});
  const pid = child.pid;
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    if (!hasExited()) {
      child.kill(stopSignal);
      const killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killTimer);
    }
    if (!process.env.PROMENADE_STACK_KEEP) rmSync(dir, { recursive: true, force: true });
  };
  return {
    name,
    pid,
    dir,
    hasExited,
    logTail: (lines = 20) => readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n'),
    stop: () => {
      stopping ??= stop();
      return stopping;
    },
  };
}

/**
 * Polls `probe` every 200 ms until it returns true; throws with the daemon's last log lines if the
 * daemon exits or `timeoutMs` passes first. A probe that throws counts as "not yet".
 */
export async function waitUntil(
  what: string,
  daemon: Daemon,
  probe: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    if (daemon.hasExited()) {
      throw new StackError(
        `stack: ${daemon.name} exited while waiting for ${what}; its log:\n${daemon.logTail()}`,
      );
    }
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) {
      const detail = lastError ? ` (last error: ${lastError})` : '';
      throw new StackError(
        `stack: ${what} not reached within ${timeoutMs} ms${detail}; ${daemon.name} log:\n${daemon.logTail()}`,
      );
    }
    await sleep(200);
  }
}

/** Runs `ready` on a started daemon; on failure stops the daemon before rethrowing. */
export async function readyOrStop(daemon: Daemon, ready: () => Promise<void>): Promise<void> {
  try {
    await ready();
  } catch (error) {
    await daemon.stop();
    throw error;
  }
}
