// One worker_threads thread of the thread tests: counts work in its own registry and reports it
// to the main thread. Its parentPort carries only the test's own messages.
import { parentPort } from 'node:worker_threads';
import { counter, gauge, reportToMainThread } from '@promenade/core';

const jobs = counter({ name: 'threads_test_jobs_total', help: 'Jobs done.', labelNames: ['kind'] });
const workSeconds = counter({ name: 'threads_test_work_seconds_total', help: 'Seconds worked.' });
const queueDepth = gauge({ name: 'threads_test_queue_depth', help: 'Queue depth.', aggregate: 'max' });

reportToMainThread();

interface Order {
  do: 'work' | 'crash' | 'exit' | 'hang';
  count?: number;
  seconds?: number;
  depth?: number;
  ms?: number;
}

parentPort!.on('message', (order: Order) => {
  switch (order.do) {
    case 'work':
      jobs.inc({ kind: 'report' }, order.count ?? 1);
      workSeconds.inc(order.seconds ?? 0);
      queueDepth.set(order.depth ?? 0);
      parentPort!.postMessage('done');
      return;
    case 'crash':
      throw new Error('the thread crashed on purpose');
    case 'exit':
      process.exit(0);
      return;
    case 'hang': {
      const until = Date.now() + (order.ms ?? 1000);
      while (Date.now() < until) {
        // A CPU-bound loop: the thread cannot answer the main thread.
      }
    }
  }
});
parentPort!.postMessage('ready');
