import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** One walker's line of the distance report. */
export interface DistanceRow {
  readonly walkerId: number;
  readonly walks: number;
  readonly distanceMeters: number;
}

/** Prisma's `groupBy` rows, as the report thread receives them. */
export interface DistanceGroup {
  readonly walkerId: number;
  readonly _count: { readonly _all: number };
  readonly _sum: { readonly distanceMeters: number | null };
}

export interface ReportJob {
  readonly id: number;
  readonly groups: readonly DistanceGroup[];
}

export interface ReportThread {
  distanceRows(groups: readonly DistanceGroup[]): Promise<DistanceRow[]>;
  /** Ends the thread; reports still pending fail. */
  close(): Promise<void>;
}

// From the sources (the repository's tests run the demo so), the thread is TypeScript and needs
// the loader they run with; built, it is dist/report-thread.mjs beside the code that starts it.
const FROM_SOURCES = import.meta.url.endsWith('.ts');
const THREAD = new URL(FROM_SOURCES ? './report-thread.ts' : './report-thread.mjs', import.meta.url);
const EXEC_ARGV = FROM_SOURCES
  ? [
      '--import',
      fileURLToPath(new URL('../../../test/support/typescript-loader.mjs', import.meta.url)),
      '--conditions=@promenade/source',
    ]
  : undefined;

/**
 * The app's report thread, started with the first report and kept for the next ones. It never
 * keeps the process alive, and one that dies is replaced by the next report.
 */
export function createReportThread(): ReportThread {
  let worker: Worker | undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve(rows: DistanceRow[]): void; reject(error: Error): void }>();
  const failAll = (error: Error) => {
    for (const job of pending.values()) job.reject(error);
    pending.clear();
  };
  const start = (): Worker => {
    const started = new Worker(THREAD, { execArgv: EXEC_ARGV });
    started.unref();
    started.on('message', ({ id, rows }: { id: number; rows: DistanceRow[] }) => {
      pending.get(id)?.resolve(rows);
      pending.delete(id);
    });
    started.on('error', (error) => failAll(error));
    started.once('exit', (code) => {
      if (worker === started) worker = undefined;
      failAll(new Error(`the report thread exited (code ${code})`));
    });
    return started;
  };
  return {
    distanceRows(groups) {
      worker ??= start();
      const id = nextId++;
      const job: ReportJob = { id, groups };
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker!.postMessage(job);
      });
    },
    async close() {
      const ending = worker;
      worker = undefined;
      await ending?.terminate();
    },
  };
}
