import { type BroadcastChannel, isMainThread, threadId } from 'node:worker_threads';
import { register as globalRegistry, type Registry } from 'prom-client';
import { threadChannel } from './thread-channel.js';
import type { ClusterWorkerReport, ReporterTransport } from './worker-reporter.js';
import { sharedReporter } from './worker-reporter.js';

function threadTransport(): ReporterTransport {
  let channel: BroadcastChannel | undefined;
  return {
    listen(onMessage) {
      channel = threadChannel(threadId);
      channel.onmessage = (event) => onMessage((event as MessageEvent).data);
    },
    unlisten() {
      channel?.close();
      channel = undefined;
    },
    send(message) {
      channel?.postMessage(message);
    },
  };
}

const reportOverChannel = sharedReporter(threadTransport);

/**
 * In a `worker_threads` thread, lets the main thread's aggregation (`startThreadAggregator`)
 * read `registry` (default: the thread's own prom-client global registry). In the main thread
 * it does nothing.
 */
export function reportToMainThread(registry: Registry = globalRegistry): ClusterWorkerReport {
  if (isMainThread) return { stop() {} };
  return reportOverChannel(registry);
}
