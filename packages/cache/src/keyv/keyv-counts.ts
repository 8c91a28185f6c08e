import type { CacheRecorder } from '../schema/cache-recorder.js';
import { OTHER_COMMAND, STORE_COMMANDS } from '../schema/commands.js';
import { cacheErrorType } from '../schema/error-type.js';

/** Keyv 5's hooks (its HooksManager), which it triggers synchronously after each call. */
interface Keyv5Hooks {
  addHandler(event: string, handler: (data: never) => void): void;
}

/** Keyv 5's stats manager, on which every get calls `hit()` or `miss()`, enabled or not. */
interface Keyv5Stats {
  hit(): void;
  miss(): void;
}

/** What Keyv 5 and 6 offer, structurally: 5 has `hooks` and `stats`, 6 emits `stat:*` events per key. */
interface CountableKeyv {
  readonly hooks?: Partial<Keyv5Hooks>;
  readonly stats?: Partial<Keyv5Stats>;
  readonly emitTelemetry?: unknown;
  on(event: string, listener: (data: never) => void): unknown;
}

/** Whether `store` is Keyv's in-memory Map: Keyv 5 holds it as it is, Keyv 6 in its memory adapter. */
export function isInMemoryStore(store: unknown): boolean {
  if (store instanceof Map) return true;
  const adapter = store as { store?: unknown } | null;
  return typeof adapter === 'object' && adapter !== null && adapter.store instanceof Map;
}

/**
 * Counts a Keyv instance's calls from what Keyv itself reports, synchronously, after each call:
 * Keyv 5's stats manager calls and post-call hooks, Keyv 6's per-key `stat:*` events. Gets, hits, misses, sets, deletes
 * and failures are counted exactly, and `cache_operations_total` by key (a get of 3 keys is 3
 * `get`, as Keyv 6 reports it); no call is timed, and Promenade allocates nothing per call.
 * Returns false when the instance offers neither (then the caller times its calls instead).
 */
export function countKeyvCalls(keyv: unknown, recorder: CacheRecorder): boolean {
  const target = keyv as CountableKeyv;
  const { gets, hits, misses, sets, deletes } = recorder.keys;
  const getOperations = recorder.operations(STORE_COMMANDS.get);
  const setOperations = recorder.operations(STORE_COMMANDS.set);
  const deleteOperations = recorder.operations(STORE_COMMANDS.delete);
  const looked = (found: boolean) => {
    gets.inc();
    getOperations.inc();
    (found ? hits : misses).inc();
  };
  const lookedMany = (values: unknown) => {
    if (!Array.isArray(values)) return;
    for (const value of values) looked(value !== undefined);
  };
  const wrote = () => {
    sets.inc();
    setOperations.inc();
  };
  const deleted = (count: number) => {
    deletes.inc(count);
    deleteOperations.inc(count);
  };
  // Keyv says a failure without the call it failed in: counted under the `other` command.
  const failed = (error: unknown) => recorder.errorSeries(OTHER_COMMAND, cacheErrorType(error)).inc();

  const hooks = target.hooks;
  const stats = target.stats;
  if (
    typeof hooks?.addHandler === 'function' &&
    typeof stats?.hit === 'function' &&
    typeof stats.miss === 'function'
  ) {
    // A get's hit or miss from the stats manager's hit() and miss(), which Keyv 5 calls on every
    // get, getRaw and, per key, getManyRaw, whether stats are enabled or not: replaced on this
    // instance's manager only, each still calls the manager's own. Cheaper than a postGet
    // handler (no hook look-up, no handler loop) on the one call that matters most.
    const { hit, miss } = stats as Keyv5Stats;
    // getMany says one hit() for all its keys (when it found any): they are counted from its
    // hook, which Keyv triggers just before, and that one hit() is not.
    let hitOfMany = false;
    stats.hit = function countedHit(this: Keyv5Stats) {
      if (hitOfMany) hitOfMany = false;
      else looked(true);
      hit.call(this);
    };
    stats.miss = function countedMiss(this: Keyv5Stats) {
      looked(false);
      miss.call(this);
    };
    hooks.addHandler('postGetMany', (values: unknown) => {
      lookedMany(values);
      hitOfMany = Array.isArray(values) && values.length > 0;
    });
    hooks.addHandler('postSet', wrote);
    hooks.addHandler('postDelete', (data: { key?: unknown }) =>
      deleted(Array.isArray(data.key) ? data.key.length : 1),
    );
    // Keyv 5 emits its errors to whoever listens and drops them otherwise: listening changes nothing.
    target.on('error', failed);
    return true;
  }
  if (typeof target.emitTelemetry === 'function') {
    target.on('stat:hit', () => looked(true));
    target.on('stat:miss', () => looked(false));
    target.on('stat:set', wrote);
    target.on('stat:delete', () => deleted(1));
    // Not Keyv 6's 'error' event: Keyv 6 throws an error nobody listens to, and a listener would stop that.
    target.on('stat:error', () => failed(undefined));
    return true;
  }
  return false;
}
