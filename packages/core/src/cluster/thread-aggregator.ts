import type { BroadcastChannel, Worker } from 'node:worker_threads';
import { isMainThread } from 'node:worker_threads';
import { PromenadeError } from '../errors.js';
import { checkOptions } from '../options/option-rules.js';
import { AggregatingRegistry } from './aggregating-registry.js';
import { aggregatorShape, type ClusterAggregatorOptions } from './cluster-aggregator.js';
import { THREAD_METRIC_NAMES } from './cluster-families.js';
import { isMessage, type WorkerMessage } from './protocol.js';
import type { ReporterLink } from './reporter-link.js';
import { threadChannel } from './thread-channel.js';

const PACKAGE = '@promenade/core';

export type ThreadAggregatorOptions = ClusterAggregatorOptions;

/**
 * The main thread's registry of its own metrics and of every `worker_threads` thread started
 * after it that reports (`reportToMainThread`). A thread that ends, by returning, by
 * `process.exit()` or by an uncaught error, is folded like a dead cluster worker: its counts
 * stay in the totals.
 */
export class ThreadAggregator extends AggregatingRegistry {
  private readonly channels = new Map<Worker, BroadcastChannel>();

  private readonly onWorker = (worker: Worker) => {
    const channel = threadChannel(worker.threadId);
    let open = true;
    const link: ReporterLink = {
      name: String(worker.threadId),
      isConnected: () => open,
      send: (message) => {
        if (open) channel.postMessage(message);
      },
    };
    this.channels.set(worker, channel);
    channel.onmessage = (event) => {
      const message = (event as MessageEvent).data as unknown;
      if (isMessage<WorkerMessage>(message)) this.received(link, message);
    };
    worker.once('exit', () => {
      // The thread's last message, sent as it exited, may still be queued behind this event.
      setImmediate(() => {
        open = false;
        channel.close();
        this.channels.delete(worker);
        this.gone(link);
      });
    });
  };

  constructor(options: ThreadAggregatorOptions = {}) {
    checkOptions(options, aggregatorShape, PACKAGE);
    if (!isMainThread) {
      throw new PromenadeError(
        'ERR_PROMENADE_NOT_PRIMARY',
        `${PACKAGE}: the thread aggregator runs in the main thread; threads report with reportToMainThread()`,
      );
    }
    super(options, THREAD_METRIC_NAMES);
    process.on('worker', this.onWorker);
  }

  /** Stops following new threads and refreshing; the registry keeps what it has. */
  override stop(): void {
    super.stop();
    process.off('worker', this.onWorker);
    for (const channel of this.channels.values()) channel.close();
    this.channels.clear();
  }
}

/**
 * Starts aggregating, in the main thread, the metrics of the `worker_threads` threads created
 * from now on; serve the returned registry. Start it before the threads.
 */
export function startThreadAggregator(options: ThreadAggregatorOptions = {}): ThreadAggregator {
  return new ThreadAggregator(options);
}
