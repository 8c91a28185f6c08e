import { notA, type ResolvedKeyvOptions, resolveKeyvOptions } from '../options.js';
import { CacheRecorder, type CommandSeries } from '../schema/cache-recorder.js';
import { monotonicSeconds } from '../schema/clock.js';
import { type KnownCommand, STORE_COMMANDS } from '../schema/commands.js';
import type { KeyvMetricsOptions } from '../types.js';
import { countKeyvCalls, isInMemoryStore } from './keyv-counts.js';

type AsyncMethod = (...args: unknown[]) => Promise<unknown>;

/** A Keyv 5 or 6 instance, structurally: the methods an application calls, and its store. */
export interface KeyvLike {
  // Methods, so that Keyv's own signatures are accepted for these.
  get(...args: never[]): Promise<unknown>;
  set(...args: never[]): Promise<unknown>;
  delete(...args: never[]): Promise<unknown>;
  readonly store: unknown;
}

const METHODS = ['get', 'getMany', 'set', 'setMany', 'delete', 'deleteMany', 'has', 'clear'] as const;
type KeyvMethod = (typeof METHODS)[number];
const STORE_METHODS = ['get', 'getMany', 'set', 'setMany', 'delete', 'deleteMany', 'has', 'hasMany', 'clear'];

export function isKeyv(value: unknown): value is KeyvLike {
  const keyv = value as Partial<KeyvLike> | null;
  return (
    typeof keyv === 'object' &&
    keyv !== null &&
    typeof keyv.get === 'function' &&
    typeof keyv.set === 'function' &&
    typeof keyv.delete === 'function' &&
    'store' in keyv
  );
}

/** What a call learns from its store: Keyv answers a failed store call as a miss or `false`. */
interface CallState {
  storeError: unknown;
}

function keysOf(method: KeyvMethod, first: unknown): number {
  if (Array.isArray(first)) return first.length;
  return method === 'clear' ? 0 : 1;
}

/** A Keyv call given an array of keys is its *Many form: Keyv forwards it to that method. */
function manyFormOf(method: KeyvMethod): KnownCommand | undefined {
  if (method === 'get') return STORE_COMMANDS.getMany;
  if (method === 'delete') return STORE_COMMANDS.deleteMany;
  return undefined;
}

/**
 * Instruments one Keyv instance (Keyv 5, or 6 on Node >= 22.19), whatever its store
 * (`@keyv/redis`, the in-memory Map, any adapter): gets as hits and misses, sets, deletes,
 * failures by type and, unless the store is the in-memory Map (see `latency`), latency by
 * method. Keyv answers a store's failure as a miss (get) or
 * `false` (set, delete) unless `throwOnErrors` is set, so the store's methods on this instance
 * are watched too, and such a call counts as a failure with the store's error type. Calls Keyv
 * makes to itself (get with an array forwarding to getMany) are counted once; deletes Keyv
 * makes of expired entries it reads are counted as deletes. Returns the instance.
 *
 * @example
 * const cache = instrumentKeyv(new Keyv({ store: new KeyvRedis(url) }), { name: 'walkers' });
 */
export function instrumentKeyv<K extends KeyvLike>(keyv: K, options?: KeyvMetricsOptions): K {
  if (!isKeyv(keyv)) throw notA('a Keyv instance', keyv);
  return instrumentKeyvAs(keyv, resolveKeyvOptions(options), 'keyv');
}

/** Instruments a Keyv instance under `backend` (cache-manager instruments its Keyv stores). */
export function instrumentKeyvAs<K extends KeyvLike>(
  keyv: K,
  resolved: ResolvedKeyvOptions,
  backend: string,
): K {
  const recorder = new CacheRecorder(resolved, backend);
  // The in-memory Map is counted from Keyv's own reports, not timed (packages/cache/README.md).
  const timed = resolved.latency ?? !isInMemoryStore(keyv.store);
  if (!timed && countKeyvCalls(keyv, recorder)) return keyv;
  return timeKeyvCalls(keyv, recorder);
}

/** Wraps each of the instance's methods: every call counted and timed, a store's failure seen. */
function timeKeyvCalls<K extends KeyvLike>(keyv: K, recorder: CacheRecorder): K {
  const { failures } = recorder;
  // The call whose synchronous part is running: Keyv calls its store (and itself) from there.
  let current: CallState | undefined;
  // The store's last failure, for a set whose store call ran after an await (Keyv serializes
  // the value first), which Keyv answers with `false`.
  const lastFailure: CallState = { storeError: undefined };
  const target = keyv as unknown as Record<string, AsyncMethod>;

  const watched = watchStore(keyv.store, () => current ?? lastFailure);
  // A store that is not watched (the in-memory Map) never notes a failure: one shared state.
  const unwatched: CallState = { storeError: undefined };

  const settle = (
    method: KeyvMethod,
    series: CommandSeries,
    first: unknown,
    state: CallState,
    startedAt: number,
    result: unknown,
    error: unknown,
  ) => {
    try {
      const keys = keysOf(method, first);
      const setRefused = (method === 'set' || method === 'setMany') && result === false;
      const failed =
        error ??
        state.storeError ??
        (setRefused ? (lastFailure.storeError ?? new Error('set refused')) : undefined);
      if (failed !== undefined) series.failed(startedAt, failed, keys);
      else series.replied(startedAt, result, keys);
    } catch (failure) {
      failures.report('recording a cache call failed', failure);
    }
  };

  for (const method of METHODS) {
    const original = target[method];
    if (typeof original !== 'function') continue;
    const single = STORE_COMMANDS[method];
    const many = manyFormOf(method) ?? single;
    // Resolved at the method's first call (a command's series appear then), then kept here.
    let singleSeries: CommandSeries | undefined;
    let manySeries: CommandSeries | undefined;
    // Keyv's methods take at most three arguments: passed as they are, with no rest array.
    target[method] = function instrumentedKeyvMethod(this: unknown, a?: unknown, b?: unknown, c?: unknown) {
      if (current !== undefined) return original.call(this, a, b, c);
      const state: CallState = watched ? { storeError: undefined } : unwatched;
      let series: CommandSeries;
      if (Array.isArray(a)) {
        manySeries ??= recorder.command(many);
        series = manySeries;
      } else {
        singleSeries ??= recorder.command(single);
        series = singleSeries;
      }
      const startedAt = monotonicSeconds();
      let pending: Promise<unknown>;
      current = state;
      try {
        pending = original.call(this, a, b, c);
      } finally {
        current = undefined;
      }
      return pending.then(
        (result) => {
          settle(method, series, a, state, startedAt, result, undefined);
          return result;
        },
        (error: unknown) => {
          settle(method, series, a, state, startedAt, undefined, error);
          throw error;
        },
      );
    };
  }

  return keyv;
}

/**
 * Notes a store's failure on the Keyv call that made it: Keyv calls its store in its method's
 * synchronous part for gets and deletes, so the call is known then; a store call made later
 * (a set, after Keyv serialized the value) notes its failure as the store's last one.
 */
function watchStore(store: unknown, callNow: () => CallState | undefined): boolean {
  // The in-memory Map cannot fail, and its methods are V8's own: leave it as it is.
  if (typeof store !== 'object' || store === null || store instanceof Map) return false;
  const target = store as Record<string, unknown>;
  // A store may itself answer its failure as a miss and only say it as an 'error' event
  // (@keyv/redis unless throwOnErrors): a call whose store said an error while it ran and
  // answered nothing is that failure. Keyv listens to the event too, so listening changes nothing.
  const said = { count: 0, error: undefined as unknown };
  if (typeof target.on === 'function') {
    (target.on as (event: string, listener: (error: unknown) => void) => void).call(
      store,
      'error',
      (error) => {
        said.count++;
        said.error = error;
      },
    );
  }
  for (const method of STORE_METHODS) {
    const original = target[method];
    if (typeof original !== 'function') continue;
    target[method] = function watchedStoreMethod(this: unknown, ...args: unknown[]) {
      const call = callNow();
      const saidBefore = said.count;
      const result = (original as AsyncMethod).apply(this, args);
      if (call === undefined || !(result instanceof Promise)) return result;
      return result.then(
        (value: unknown) => {
          if (said.count !== saidBefore && (value === undefined || value === false))
            call.storeError = said.error;
          return value;
        },
        (error: unknown) => {
          call.storeError = error;
          throw error;
        },
      );
    };
  }
  return true;
}
