import { notA, resolveCacheOptions } from '../options.js';
import { CacheRecorder } from '../schema/cache-recorder.js';
import { monotonicSeconds } from '../schema/clock.js';
import type { CacheMetricsOptions } from '../types.js';

type RedisArgs = readonly unknown[];
type SendCommand = (args: RedisArgs, options?: unknown) => Promise<unknown>;
type ExecuteBatch = (commands: readonly { args: RedisArgs }[], selectedDB?: number) => Promise<unknown>;

/**
 * A node-redis 5 or 6 client (`createClient()`), structurally: `sendCommand`, through which
 * every command of the client goes, and the two batch paths its `multi()` binds
 * (`_executeMulti` for exec(), `_executePipeline` for execAsPipeline()), which write to the
 * queue directly.
 */
export interface NodeRedisLike {
  // A method, so that the client's own argument types are accepted for ours.
  sendCommand(args: RedisArgs, options?: unknown): Promise<unknown>;
  readonly isReady: boolean;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

interface BatchPaths {
  _executeMulti?: ExecuteBatch;
  _executePipeline?: ExecuteBatch;
}

function isNodeRedis(value: unknown): value is NodeRedisLike {
  const client = value as Partial<NodeRedisLike> | null;
  return (
    typeof client === 'object' &&
    client !== null &&
    typeof client.sendCommand === 'function' &&
    typeof client.on === 'function' &&
    typeof client.isReady === 'boolean'
  );
}

/** How many keys a command names: its arguments after the name, or the pairs of an MSET. */
function keyCount(args: RedisArgs, kind: string): number {
  const named = args.length - 1;
  return kind === 'set_pairs' ? named >> 1 : named;
}

/**
 * Instruments one node-redis client (`createClient()`, redis 5 or 6): every command it sends
 * is counted and timed by command, gets as hits and misses, sets and deletes by key, failures
 * by type; the connected gauge reads `isReady` when scraped, and `reconnecting` is counted.
 * MULTI and pipelines are counted as the commands they hold, a MULTI's by what EXEC answers
 * for each. A pipeline node-redis rejects as a whole (its first error) is counted as its
 * commands, each failed with that error: node-redis does not tell which of them failed.
 * Only this client's own methods are replaced; keys and values never become labels.
 *
 * @example
 * const redis = instrumentNodeRedis(createClient({ url }), { name: 'sessions' });
 */
export function instrumentNodeRedis<C extends NodeRedisLike>(client: C, options?: CacheMetricsOptions): C {
  if (!isNodeRedis(client)) throw notA('a node-redis client (createClient())', client);
  const resolved = resolveCacheOptions(options);
  const recorder = new CacheRecorder(resolved, 'node_redis');
  const { failures } = recorder;
  // createClient() hands out an object made from the client (`Object.create`), whose commands
  // call `sendCommand` on the client itself, `_self`: the methods are replaced there, so that
  // every object made from it (withTypeMapping(), the one handed out) goes through them.
  const self = ((client as { _self?: NodeRedisLike })._self ?? client) as NodeRedisLike;
  const send = self.sendCommand as SendCommand;

  const recordOne = (args: RedisArgs, startedAt: number, outcome: 'replied' | 'failed', value: unknown) => {
    const series = recorder.redisCommand(args[0]);
    const keys = keyCount(args, series.kind);
    if (outcome === 'replied') series.replied(startedAt, value, keys);
    else series.failed(startedAt, value, keys);
  };

  self.sendCommand = function instrumentedSendCommand(
    this: NodeRedisLike,
    args: RedisArgs,
    commandOptions?: unknown,
  ) {
    const startedAt = monotonicSeconds();
    const pending = send.call(this, args, commandOptions);
    // Recorded on a branch of its own, beside the caller's: the caller awaits node-redis' own
    // promise, as without Promenade, and one function per call records either outcome, as
    // node-redis fulfils a command with its reply, never an Error (an error reply rejects), and
    // rejects with an Error.
    const settle = (outcome: unknown) => {
      try {
        recordOne(args, startedAt, outcome instanceof Error ? 'failed' : 'replied', outcome);
      } catch (error) {
        failures.report('recording a cache command failed', error);
      }
    };
    pending.then(settle, settle);
    return pending;
  };

  const batches = self as unknown as BatchPaths;
  const wrapBatch = (execute: ExecuteBatch | undefined): ExecuteBatch | undefined => {
    if (typeof execute !== 'function') return undefined;
    return function instrumentedBatch(this: unknown, commands, selectedDB) {
      const startedAt = monotonicSeconds();
      const settle = (replies: unknown, error: unknown) => {
        try {
          commands.forEach(({ args }, index) => {
            const reply = Array.isArray(replies) ? replies[index] : undefined;
            if (error !== undefined || reply instanceof Error)
              recordOne(args, startedAt, 'failed', error ?? reply);
            else recordOne(args, startedAt, 'replied', reply);
          });
        } catch (failure) {
          failures.report('recording a cache command failed', failure);
        }
      };
      return execute.call(this, commands, selectedDB).then(
        (replies) => {
          settle(replies, undefined);
          return replies;
        },
        (error: unknown) => {
          // A MULTI whose EXEC answered holds each command's own error (MultiErrorReply's replies).
          const replies = (error as { replies?: unknown } | null)?.replies;
          if (Array.isArray(replies)) settle(replies, undefined);
          else settle(undefined, error);
          throw error;
        },
      );
    };
  };
  const multi = wrapBatch(batches._executeMulti);
  const pipeline = wrapBatch(batches._executePipeline);
  if (multi) batches._executeMulti = multi;
  if (pipeline) batches._executePipeline = pipeline;

  recorder.watchConnection(() => client.isReady);
  client.on('reconnecting', () => recorder.reconnecting());
  return client;
}
