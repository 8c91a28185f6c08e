import cluster, { type Worker } from 'node:cluster';

/** What a worker that could not start tells the primary before it is stopped. */
interface StartFailureMessage {
  readonly type: 'dog-walker:start-failed';
  readonly reason: string;
}

function isStartFailure(message: unknown): message is StartFailureMessage {
  return (message as Partial<StartFailureMessage> | null)?.type === 'dog-walker:start-failed';
}

/**
 * In a worker: hands the reason it cannot serve to the primary, which prints it once for the
 * whole cluster (every worker fails alike, e.g. on a port that is taken) and stops the workers.
 */
export function reportStartFailure(reason: string): void {
  const message: StartFailureMessage = { type: 'dog-walker:start-failed', reason };
  process.send?.(message);
}

export interface SupervisedWorkers {
  /** The app's port, once every worker listens; rejects with the reason when one cannot serve. */
  readonly ready: Promise<number>;
  pids(): number[];
  /** SIGTERM to every worker; resolves once all have exited. */
  stop(): Promise<void>;
}

/**
 * Forks `count` workers and keeps them. The rule: a worker that ends before it ever listened
 * means the cluster cannot serve (a port taken, a database it cannot open, a crash at start), and
 * starting another would fail the same way forever, so `ready` rejects and every worker is
 * stopped. A worker that dies after serving is replaced, and `onReplaced` names both pids.
 */
export function superviseWorkers(options: {
  count: number;
  env: Record<string, string>;
  onReplaced: (dead: Worker, replacement: Worker, cause: string) => void;
}): SupervisedWorkers {
  const listened = new Set<Worker>();
  let stopping = false;
  let failed!: (error: Error) => void;
  let listening!: (port: number) => void;
  const ready = new Promise<number>((resolve, reject) => {
    listening = resolve;
    failed = reject;
  });

  const live = () =>
    Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);

  const stop = async () => {
    stopping = true;
    await Promise.all(
      live().map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            worker.once('exit', () => resolve());
            worker.process.kill('SIGTERM');
          }),
      ),
    );
    cluster.off('listening', onListening);
    cluster.off('message', onMessage);
    cluster.off('exit', onExit);
  };

  const cannotServe = (worker: Worker, reason: string) => {
    if (stopping) return;
    failed(new Error(`worker ${worker.process.pid} could not serve: ${reason}`));
    void stop();
  };

  const onListening = (worker: Worker, address: { port: number }) => {
    listened.add(worker);
    if (listened.size === options.count) listening(address.port);
  };
  const onMessage = (worker: Worker, message: unknown) => {
    if (isStartFailure(message)) cannotServe(worker, message.reason);
  };
  const onExit = (worker: Worker, code: number, signal: string | null) => {
    const cause = signal ?? `exit code ${code}`;
    if (stopping) return;
    if (!listened.has(worker)) return cannotServe(worker, `it exited (${cause}) before listening`);
    listened.delete(worker);
    options.onReplaced(worker, fork(), cause);
  };
  cluster.on('listening', onListening);
  cluster.on('message', onMessage);
  cluster.on('exit', onExit);

  const fork = () => cluster.fork(options.env);
  for (let i = 0; i < options.count; i++) fork();

  return {
    ready,
    pids: () => live().flatMap((worker) => (worker.process.pid ? [worker.process.pid] : [])),
    stop,
  };
}
