import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const SERVER_CORE = '1';

/**
 * Starts a bench program (`servers/express-bare`: bench/servers/express-bare.mjs) in its own
 * Node process pinned to one core (the load generator has the other), and resolves once it is
 * ready. The child's pid is the Node process itself: taskset replaces itself with the program.
 */
export async function startChild(name, config = {}, options = {}) {
  // A program that fails to start is tried again: in a shared checkout a concurrent build may
  // be rewriting a package's dist/ at that very moment. A real failure fails every time.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(name, config, options);
    } catch (error) {
      if (attempt === 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

async function startOnce(name, config, { nodeArgs = [], env = {} }) {
  const file = fileURLToPath(new URL(`../${name}.mjs`, import.meta.url));
  const child = spawn(
    'taskset',
    ['--cpu-list', SERVER_CORE, process.execPath, ...nodeArgs, file, JSON.stringify(config)],
    {
      // stderr is kept, not shown: frameworks log every 4xx error they raise (Express logs a
      // stack per undecodable URL), which would bury the bench's own output.
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      // No credentials from the caller's environment reach the apps unless a scenario asks.
      env: withoutPromenadeAuth({ ...process.env, NODE_ENV: 'production', ...env }),
    },
  );
  const stderr = keepTail(child.stderr);
  const exited = once(child, 'exit').then(([code, signal]) => {
    throw new Error(`${name} exited before it was ready (${signal ?? code}): ${stderr.text().trim()}`);
  });
  const [message] = await Promise.race([once(child, 'message'), exited]);
  exited.catch(() => {});
  if (message.type !== 'ready') throw new Error(`server ${name} sent ${JSON.stringify(message)} first`);
  return new ChildProgram(name, child, message.port, stderr);
}

/**
 * The last few KiB a stream wrote, and how many of its lines came from Promenade (which logs
 * a failure to record or to serve metrics with its package name).
 */
function keepTail(stream, limit = 4096) {
  let tail = '';
  let promenadeLines = 0;
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    promenadeLines += chunk.split('\n').filter((line) => line.includes('@promenade/')).length;
    tail = (tail + chunk).slice(-limit);
  });
  return { text: () => tail, promenadeLines: () => promenadeLines };
}

function withoutPromenadeAuth(env) {
  const copy = { ...env };
  for (const key of Object.keys(copy)) if (key.startsWith('PROMENADE_METRICS_')) delete copy[key];
  return copy;
}

class ChildProgram {
  #nextId = 0;

  constructor(name, child, port, stderr) {
    this.name = name;
    this.child = child;
    this.pid = child.pid;
    this.port = port;
    this.stderr = stderr;
  }

  /** process.memoryUsage() of the child after a forced GC (needs --expose-gc in nodeArgs). */
  memory() {
    return this.ask({ type: 'memory' });
  }

  /** Sends a message over IPC and resolves with the child's reply to it. */
  ask(message) {
    const id = this.#nextId++;
    const reply = new Promise((resolve) => {
      const onMessage = (answer) => {
        if (answer.id === id) {
          this.child.off('message', onMessage);
          resolve(answer);
        }
      };
      this.child.on('message', onMessage);
    });
    this.child.send({ ...message, id });
    return reply;
  }

  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.send({ type: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
