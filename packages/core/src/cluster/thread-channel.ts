import { BroadcastChannel } from 'node:worker_threads';

/**
 * A channel of its own per thread, named after its threadId, which both sides know without a
 * word: the thread's `parentPort` and the Worker's `message` event stay the application's, whose
 * handlers would otherwise receive the protocol's messages.
 */
export function threadChannel(threadId: number): BroadcastChannel {
  const channel = new BroadcastChannel(`promenade.threads.${threadId}`);
  // Reporting never keeps a thread or the process alive.
  channel.unref();
  return channel;
}
