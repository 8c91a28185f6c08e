import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';

const LOADER = fileURLToPath(new URL('../support/typescript-loader.mjs', import.meta.url));
const WORKER = fileURLToPath(new URL('./cluster-worker.ts', import.meta.url));

export interface ForkedWorker {
  readonly worker: Worker;
  readonly base: string;
  readonly exited: Promise<void>;
}

/** Forks a real node:cluster worker running the TypeScript sources and waits for its port. */
export function forkWorker(
  index: number,
  kind: 'promenade' | 'bare' = 'promenade',
  env: Record<string, string> = {},
): Promise<ForkedWorker> {
  cluster.setupPrimary({ exec: WORKER, execArgv: ['--import', LOADER, '--conditions=@promenade/source'] });
  const worker = cluster.fork({ WORKER_INDEX: String(index), CLUSTER_WORKER: kind, ...env });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker ${index} did not start within 60 s`)), 60_000);
    worker.on('message', (message: { fixture?: string; port?: number }) => {
      if (message?.fixture !== 'ready') return;
      clearTimeout(timer);
      resolve({ worker, base: `http://127.0.0.1:${message.port}`, exited });
    });
    worker.once('exit', (code) =>
      reject(new Error(`worker ${index} exited with ${code} before it was ready`)),
    );
  });
}

/** Sends `count` requests to a worker, `concurrency` at a time; resolves with the 2xx answers. */
/** Sends `count` requests; `answeredAt`, when given, gets the time (performance.now()) of each answer. */
export async function drive(
  base: string,
  count: number,
  concurrency = 4,
  answeredAt?: number[],
): Promise<number> {
  let next = 0;
  let ok = 0;
  const lane = async () => {
    while (next < count) {
      next += 1;
      try {
        const response = await fetch(`${base}/work`);
        await response.arrayBuffer();
        if (response.ok) {
          ok += 1;
          answeredAt?.push(performance.now());
        }
      } catch {
        // A worker killed mid-request: that request was not counted by anyone.
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return ok;
}

export async function stopWorkers(workers: readonly ForkedWorker[]): Promise<void> {
  for (const { worker } of workers) if (!worker.isDead()) worker.process.kill('SIGKILL');
  await Promise.all(workers.map(({ exited }) => exited));
}

/** The value of the sample line `name{labels}` in an exposition page (labels as written). */
export function sampleValue(page: string, series: string): number | undefined {
  const line = page.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** How many bytes the worker's reporter has sent the primary so far. */
export function reportedBytes({ worker }: ForkedWorker): Promise<number> {
  return new Promise((resolve) => {
    const answered = (message: { fixture?: string; bytes?: number }) => {
      if (message?.fixture !== 'bytes') return;
      worker.off('message', answered);
      resolve(message.bytes!);
    };
    worker.on('message', answered);
    worker.send({ fixture: 'bytes' });
  });
}
