import { notA, resolveCacheOptions } from '../options.js';
import { CacheRecorder, type CommandSeries } from '../schema/cache-recorder.js';
import { monotonicSeconds } from '../schema/clock.js';
import type { CacheMetricsOptions } from '../types.js';

/** What is read of an ioredis Command (ioredis 5 and 6). */
interface IoredisCommand {
  readonly name: string;
  readonly args: readonly unknown[];
  /**
   * Called by ioredis with the reply (or the error), once, wherever the command was sent from,
   * always as a method of the command (`command.resolve(reply)`, `reject.call(command, error)`).
   */
  resolve(reply: unknown): void;
  reject(error: Error): void;
  /** Set by ioredis on the commands a MULTI holds, which reply QUEUED and are answered by EXEC. */
  readonly inTransaction?: boolean;
  [RECORDING]?: Recording;
}

/**
 * A command's recording, kept on the command from its first send to its reply: ioredis sends a
 * command again after a reconnection or a redirection, and it is recorded once. Every command
 * gets it, so ioredis' Command objects keep one shape.
 */
const RECORDING = Symbol('promenade.cache.recording');

/** One allocation per command: the client's shared resolve and reject read it from the command. */
class Recording {
  constructor(
    readonly series: CommandSeries,
    readonly startedAt: number,
    readonly keys: number,
    readonly stream: unknown,
    readonly resolve: (reply: unknown) => void,
    readonly reject: (error: Error) => void,
  ) {}
}

type SendCommand = (command: IoredisCommand, stream?: unknown, node?: unknown) => unknown;

/** An ioredis `Redis` or `Cluster`, structurally: its one path for every command, and its events. */
export interface IoredisLike {
  // A method, so that the client's own Command type is accepted for ours.
  sendCommand(command: IoredisCommand, stream?: unknown, node?: unknown): unknown;
  readonly status: string;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

function isIoredis(value: unknown): value is IoredisLike {
  const client = value as Partial<IoredisLike> | null;
  return (
    typeof client === 'object' &&
    client !== null &&
    typeof client.sendCommand === 'function' &&
    typeof client.on === 'function' &&
    typeof client.status === 'string'
  );
}

/** How many keys a command names, from its arguments (ioredis keeps no command name in them). */
function keyCount(command: IoredisCommand, series: { kind: string }): number {
  return series.kind === 'set_pairs' ? command.args.length >> 1 : command.args.length;
}

interface Queued {
  readonly series: CommandSeries;
  readonly startedAt: number;
  readonly keys: number;
}

const PIPELINE_HOLDS = new Set(['multi', 'exec']);

/**
 * Instruments one ioredis client, `new Redis()` or `new Cluster()`: every command it sends is
 * counted and timed by command, gets as hits and misses, sets and deletes by key, failures by
 * type; the connected gauge reads the client's status when scraped and `reconnecting` is counted.
 * Pipelines are counted as the commands they hold, and a MULTI's commands by what EXEC answers
 * for each. Nothing is patched but this client's own `sendCommand`; keys and values are never
 * read into labels. Returns the client.
 *
 * @example
 * const redis = instrumentIoredis(new Redis(url), { name: 'sessions' });
 */
export function instrumentIoredis<C extends IoredisLike>(client: C, options?: CacheMetricsOptions): C {
  if (!isIoredis(client)) throw notA('an ioredis Redis or Cluster client', client);
  const resolved = resolveCacheOptions(options);
  const backend = (client as { isCluster?: unknown }).isCluster === true ? 'ioredis_cluster' : 'ioredis';
  const recorder = new CacheRecorder(resolved, backend);
  const { failures } = recorder;
  const send = client.sendCommand as SendCommand;
  // A MULTI's commands, by the pipeline's stream, until its EXEC answers for them.
  const transactions = new Map<unknown, Queued[]>();

  const queue = (stream: unknown, entry: Queued) => {
    const queued = transactions.get(stream);
    if (queued === undefined) transactions.set(stream, [entry]);
    else queued.push(entry);
  };

  const settleTransaction = (stream: unknown, replies: unknown, error: unknown) => {
    const queued = transactions.get(stream);
    if (queued === undefined) return;
    transactions.delete(stream);
    queued.forEach(({ series, startedAt, keys }, index) => {
      const reply = Array.isArray(replies) ? replies[index] : undefined;
      if (error !== undefined || reply instanceof Error) series.failed(startedAt, error ?? reply, keys);
      else series.replied(startedAt, reply, keys);
    });
  };

  // ioredis calls a command's resolve and reject as its methods, once, with the reply, however
  // often it sent the command (its offline queue after a reconnection, a cluster redirection),
  // and a cluster client wraps them for its retries on top of these: two functions shared by
  // every command of the client take the place of the command's own, which its recording keeps.
  // No promise is chained and no function is made per command.
  function recordedResolve(this: IoredisCommand, reply: unknown) {
    const recording = this[RECORDING]!;
    try {
      const { series, startedAt, keys } = recording;
      if (this.inTransaction === true && !PIPELINE_HOLDS.has(this.name))
        queue(recording.stream, { series, startedAt, keys });
      else {
        series.replied(startedAt, reply, keys);
        if (this.name === 'exec') settleTransaction(recording.stream, reply, undefined);
      }
    } catch (error) {
      failures.report('recording a cache command failed', error);
    }
    // Called as the recording's method, not through `call`: optimized code then inlines ioredis'
    // own resolve (an arrow function, which reads no `this`) instead of entering it cold for each
    // command's new closure (V8's CompileLazy in the profile: bench/RESULTS.md, cache calls).
    recording.resolve(reply);
  }

  function recordedReject(this: IoredisCommand, error: Error) {
    const recording = this[RECORDING]!;
    try {
      recording.series.failed(recording.startedAt, error, recording.keys);
      if (this.name === 'exec') settleTransaction(recording.stream, undefined, error);
    } catch (failure) {
      failures.report('recording a cache command failed', failure);
    }
    recording.reject.call(this, error);
  }

  const record = (command: IoredisCommand, stream: unknown) => {
    const series = recorder.redisCommand(command.name);
    command[RECORDING] = new Recording(
      series,
      monotonicSeconds(),
      keyCount(command, series),
      stream,
      command.resolve,
      command.reject,
    );
    command.resolve = recordedResolve;
    command.reject = recordedReject;
  };

  client.sendCommand = function instrumentedSendCommand(
    this: C,
    command: IoredisCommand,
    stream?: unknown,
    node?: unknown,
  ) {
    if (command[RECORDING] === undefined) {
      try {
        record(command, stream);
      } catch (error) {
        failures.report('recording a cache command failed', error);
      }
    }
    return send.call(this, command, stream, node);
  };

  recorder.watchConnection(() => client.status === 'ready');
  client.on('reconnecting', () => recorder.reconnecting());
  return client;
}
