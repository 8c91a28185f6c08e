import type { CacheRecorder } from '../schema/cache-recorder.js';
import { OTHER_COMMAND } from '../schema/commands.js';
import { cacheErrorType } from '../schema/error-type.js';
import { KeyvTally, type Tally } from './keyv-tally.js';

/** Keyv 5's stats manager: every get calls `hit()` or `miss()`, a set `set()`, a delete `delete()`, enabled or not. */
interface Keyv5Stats {
  hit(): void;
  miss(): void;
  set(): void;
  delete(): void;
}

type KeysMethod = (keys: unknown, ...rest: unknown[]) => Promise<unknown>;

/** What Keyv 5 and 6 offer, structurally: 5 has `stats`, 6 emits `stat:*` events per key. */
interface CountableKeyv {
  readonly stats?: Partial<Keyv5Stats>;
  getMany?: KeysMethod;
  deleteMany?: KeysMethod;
  readonly emitTelemetry?: unknown;
  on(event: string, listener: (data: never) => void): unknown;
}

function isKeyv5(keyv: CountableKeyv): keyv is CountableKeyv & {
  stats: Keyv5Stats;
  getMany: KeysMethod;
  deleteMany: KeysMethod;
} {
  const { stats } = keyv;
  return (
    typeof stats?.hit === 'function' &&
    typeof stats.miss === 'function' &&
    typeof stats.set === 'function' &&
    typeof stats.delete === 'function' &&
    typeof keyv.getMany === 'function' &&
    typeof keyv.deleteMany === 'function'
  );
}

/**
 * The tally of this (backend, cache): the in-memory Keyv instances an app instruments under one
 * name count into one, so what a page reads does not grow with them.
 */
function sharedKeyvTally(recorder: CacheRecorder): KeyvTally {
  return recorder.shared('keyv-tally', () => new KeyvTally(recorder));
}

/** Replaces one method of this instance's stats manager with one that counts, then calls it. */
function countThrough(stats: Keyv5Stats, method: keyof Keyv5Stats, tally: Tally): void {
  const original = stats[method];
  stats[method] = function counted(this: Keyv5Stats) {
    tally.count++;
    original.call(this);
  };
}

/** Whether `store` is Keyv's in-memory Map: Keyv 5 holds it as it is, Keyv 6 in its memory adapter. */
export function isInMemoryStore(store: unknown): boolean {
  if (store instanceof Map) return true;
  const adapter = store as { store?: unknown } | null;
  return typeof adapter === 'object' && adapter !== null && adapter.store instanceof Map;
}

/**
 * Counts a Keyv instance's calls from what Keyv itself reports, synchronously, as each call
 * ends: Keyv 5's stats manager (replaced on this instance's manager only, each method still
 * calling the manager's own) and the instance's getMany and deleteMany, Keyv 6's per-key
 * `stat:*` events. Gets, hits, misses, sets, deletes and failures are counted exactly, and
 * `cache_operations_total` by key (a get of 3 keys is 3 `get`, as Keyv 6 reports it); no call is
 * timed, a get, set or delete of one key allocates nothing, and no handler is added to Keyv 5's
 * hooks, which it looks up on every call (an entry there made each get's two look-ups dearer).
 * Returns false when the instance offers neither (then the caller times its calls instead).
 */
export function countKeyvCalls(keyv: unknown, recorder: CacheRecorder): boolean {
  const target = keyv as CountableKeyv;
  // Keyv says a failure without the call it failed in: counted under the `other` command.
  const failed = (error: unknown) => recorder.errorSeries(OTHER_COMMAND, cacheErrorType(error)).inc();

  if (isKeyv5(target)) {
    const tally = sharedKeyvTally(recorder);
    const { stats } = target;
    countThrough(stats, 'hit', tally.hits);
    countThrough(stats, 'miss', tally.misses);
    countThrough(stats, 'set', tally.sets);
    countThrough(stats, 'delete', tally.deletes);
    // A get of several keys (getMany, or get with an array, which Keyv forwards to it).
    const { getMany, deleteMany } = target;
    target.getMany = async function countedGetMany(this: unknown, ...args: [unknown, ...unknown[]]) {
      const values = await getMany.apply(this, args);
      tally.gotMany(values);
      return values;
    };
    // A delete of several keys says nothing to the stats manager: counted as its keys once it
    // returns (a store's failure, which Keyv answers with false, is counted under errors too).
    target.deleteMany = async function countedDeleteMany(this: unknown, ...args: [unknown, ...unknown[]]) {
      const result = await deleteMany.apply(this, args);
      if (Array.isArray(args[0])) tally.deletes.count += args[0].length;
      return result;
    };
    // Keyv 5 emits its errors to whoever listens and drops them otherwise: listening changes nothing.
    target.on('error', failed);
    return true;
  }
  if (typeof target.emitTelemetry === 'function') {
    const tally = sharedKeyvTally(recorder);
    target.on('stat:hit', () => tally.hits.count++);
    target.on('stat:miss', () => tally.misses.count++);
    target.on('stat:set', () => tally.sets.count++);
    target.on('stat:delete', () => tally.deletes.count++);
    // Not Keyv 6's 'error' event: Keyv 6 throws an error nobody listens to, and a listener would stop that.
    target.on('stat:error', () => failed(undefined));
    return true;
  }
  return false;
}
