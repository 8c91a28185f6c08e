import type { PrimaryMessage } from './protocol.js';

/**
 * One reporting process or thread as the aggregating side sees it, whatever carries the
 * messages: a node:cluster worker's IPC channel, a socket, a thread's message channel.
 */
export interface ReporterLink {
  /** The `worker` label of the series it serves per worker. */
  readonly name: string;
  isConnected(): boolean;
  /** Never throws: a link going away is told by its transport, not by a failed send. */
  send(message: PrimaryMessage): void;
}
