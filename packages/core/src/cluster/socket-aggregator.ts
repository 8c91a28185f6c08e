import { unlink } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { optionError, PromenadeError } from '../errors.js';
import { checkOptions, isNonEmptyString, type OptionShape } from '../options/option-rules.js';
import { type AggregatingOptions, AggregatingRegistry } from './aggregating-registry.js';
import { aggregatorShape, type ClusterAggregatorOptions } from './cluster-aggregator.js';
import { isMessage, type WorkerMessage } from './protocol.js';
import type { ReporterLink } from './reporter-link.js';
import { readLines, writeLine } from './socket-lines.js';

const PACKAGE = '@promenade/core';

export interface SocketAggregatorOptions extends ClusterAggregatorOptions {
  /**
   * The Unix socket (a named pipe on Windows) the reporting processes connect to, the same path
   * they are given. Put it in a directory only the application's user can write.
   */
  path: string;
}

export const socketAggregatorShape: OptionShape = { ...aggregatorShape, path: isNonEmptyString };

/**
 * The registry of every process that reports to one socket: the instances of a PM2 cluster-mode
 * app (whose primary is PM2's own daemon, where no application code runs), or any set of
 * processes started by a process manager. It lives in a process of its own, so an instance
 * killed or restarted takes only its last unreported changes with it, never the totals.
 */
export class SocketAggregator extends AggregatingRegistry {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private connections = 0;

  constructor(server: Server, options: AggregatingOptions) {
    super(options);
    this.server = server;
    server.on('connection', (socket) => this.accept(socket));
  }

  /** Stops listening, disconnects the reporters and stops refreshing; the totals are kept. */
  override stop(): void {
    super.stop();
    this.server.close();
    for (const socket of this.sockets) socket.destroy();
  }

  private accept(socket: Socket): void {
    this.connections += 1;
    this.sockets.add(socket);
    socket.unref();
    const link: ReporterLink = {
      name: String(this.connections),
      isConnected: () => !socket.destroyed && socket.writable,
      send: (message) => writeLine(socket, message),
    };
    readLines(socket, (message) => {
      if (isMessage<WorkerMessage>(message)) this.received(link, message);
    });
    // A reporter killed with SIGKILL closes its end too: the kernel closes a dead process's sockets.
    socket.on('error', () => {});
    socket.once('close', () => {
      this.sockets.delete(socket);
      this.gone(link);
    });
  }
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Whether a process answers on the socket (a live aggregator) or the file is left over. */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/**
 * Starts aggregating the metrics of the processes that report to `path`
 * (`reportToSocketAggregator`); serve the returned registry (`startMetricsServer({ registry })`,
 * or `startMetricsServer({ socket: { path } })` in one call). A socket file left by an aggregator
 * that was killed is replaced; one that a live aggregator answers on is an error.
 */
export async function startSocketAggregator(options: SocketAggregatorOptions): Promise<SocketAggregator> {
  checkOptions(options, socketAggregatorShape, PACKAGE);
  if (options?.path === undefined) throw optionError(PACKAGE, 'path', 'is required', undefined);
  const server = createServer();
  server.unref();
  try {
    await listen(server, options.path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    if (await answers(options.path)) {
      throw new PromenadeError(
        'ERR_PROMENADE_SOCKET_IN_USE',
        `${PACKAGE}: another aggregator is listening on "${options.path}"`,
      );
    }
    await unlink(options.path);
    await listen(server, options.path);
  }
  const { path: _path, ...aggregating } = options;
  return new SocketAggregator(server, aggregating);
}
