import {
  type CounterSeries,
  createFailureReporter,
  type FailureReporter,
  type HistogramSeries,
} from '@promenade/core/adapter';
import type { ResolvedCacheOptions } from '../options.js';
import { type CacheFamilies, connectionProbes, defineCacheFamilies } from './cache-families.js';
import { monotonicSeconds } from './clock.js';
import type { CommandKind, KnownCommand } from './commands.js';
import { redisCommand } from './commands.js';
import { cacheErrorType } from './error-type.js';

/** Per registry and prefix (by its gets family): the state each (backend, cache) shares (`CacheRecorder.shared`). */
const sharedStates = new WeakMap<object, Map<string, object>>();

/** The (backend, cache) series every command of one instrumented client shares. */
export interface KeySeries {
  readonly gets: CounterSeries;
  readonly hits: CounterSeries;
  readonly misses: CounterSeries;
  readonly getFailures: CounterSeries;
  readonly sets: CounterSeries;
  readonly deletes: CounterSeries;
}

function isMiss(value: unknown): boolean {
  // Redis answers a missing key with null, Keyv and cache-manager with undefined.
  return value === null || value === undefined;
}

/**
 * The series of one command of one client, resolved once: recording a reply is a few additions
 * and one bucket search, with no label hashing.
 */
export class CommandSeries {
  private readonly errors = new Map<string, CounterSeries>();

  constructor(
    private readonly recorder: CacheRecorder,
    readonly kind: CommandKind,
    private readonly label: string,
    private readonly calls: CounterSeries,
    private readonly duration: HistogramSeries,
    private readonly keys: KeySeries,
  ) {}

  /**
   * A reply; `keyCount` is how many keys the command named (a get_many's keys, a
   * set_pairs' pairs, a delete's keys), read by the caller from the command's arguments.
   */
  /** `startedAt` is `monotonicSeconds()` when the command was sent. */
  replied(startedAt: number, reply: unknown, keyCount: number): void {
    this.calls.inc();
    this.duration.observe(monotonicSeconds() - startedAt);
    const keys = this.keys;
    switch (this.kind) {
      case 'get':
        keys.gets.inc();
        (isMiss(reply) ? keys.misses : keys.hits).inc();
        return;
      case 'get_many':
        if (Array.isArray(reply)) {
          keys.gets.inc(reply.length);
          let missed = 0;
          for (const value of reply) if (isMiss(value)) missed++;
          keys.misses.inc(missed);
          keys.hits.inc(reply.length - missed);
        }
        return;
      case 'set':
        keys.sets.inc();
        return;
      case 'set_pairs':
      case 'set_many':
        keys.sets.inc(keyCount);
        return;
      case 'delete':
        keys.deletes.inc(keyCount);
        return;
      default:
        return;
    }
  }

  failed(startedAt: number, error: unknown, keyCount: number): void {
    this.calls.inc();
    this.duration.observe(monotonicSeconds() - startedAt);
    this.errorSeries(cacheErrorType(error)).inc();
    if (this.kind === 'get' || this.kind === 'get_many') {
      const looked = this.kind === 'get' ? 1 : keyCount;
      this.keys.gets.inc(looked);
      this.keys.getFailures.inc(looked);
    }
  }

  private errorSeries(type: string): CounterSeries {
    let series = this.errors.get(type);
    if (series === undefined) {
      series = this.recorder.errorSeries(this.label, type);
      this.errors.set(type, series);
    }
    return series;
  }
}

/** Everything one instrumented client or cache object records, under its (backend, cache). */
export class CacheRecorder {
  readonly failures: FailureReporter;
  private readonly families: CacheFamilies;
  private readonly labels: readonly [backend: string, cache: string];
  readonly keys: KeySeries;
  /** By the command's id: an array read, not a hash look-up, per call. */
  private readonly commands: (CommandSeries | undefined)[] = [];
  private readonly reconnectSeries: CounterSeries;
  // The last Redis command asked for by name: a client sends the same command over and over,
  // and a string compared by identity is cheaper than the name's look-up and the series' read.
  private lastRedisName: unknown;
  private lastRedisSeries: CommandSeries | undefined;

  constructor(options: ResolvedCacheOptions, backend: string) {
    const families = defineCacheFamilies(options);
    const labels = [backend, options.name] as const;
    this.families = families;
    this.labels = labels;
    this.failures = createFailureReporter(options.logFailure);
    // Series exist at zero from here, so a hit ratio or a failure rate has a value before the first call.
    this.keys = {
      gets: families.gets.series(labels),
      hits: families.hits.series(labels),
      misses: families.misses.series(labels),
      getFailures: families.getFailures.series(labels),
      sets: families.sets.series(labels),
      deletes: families.deletes.series(labels),
    };
    this.reconnectSeries = families.reconnects.series(labels);
  }

  /** The series of a command; a command's series appear with its first call. */
  command(command: KnownCommand): CommandSeries {
    let series = this.commands[command.id];
    if (series === undefined) {
      const labels = [...this.labels, command.label];
      series = new CommandSeries(
        this,
        command.kind,
        command.label,
        this.families.operations.series(labels),
        this.families.duration.series(labels),
        this.keys,
      );
      this.commands[command.id] = series;
    }
    return series;
  }

  /** The series of a Redis command by the name the client gives it. */
  redisCommand(name: unknown): CommandSeries {
    if (name === this.lastRedisName && this.lastRedisSeries !== undefined) return this.lastRedisSeries;
    const series = this.command(redisCommand(name));
    this.lastRedisName = name;
    this.lastRedisSeries = series;
    return series;
  }

  /** The operations counter of a command alone, for calls that are counted and not timed. */
  operations(command: KnownCommand): CounterSeries {
    return this.families.operations.series([...this.labels, command.label]);
  }

  errorSeries(command: string, errorType: string): CounterSeries {
    return this.families.errors.series([...this.labels, command, errorType]);
  }

  /**
   * The `kind` of state every instance instrumented under this (backend, cache) on this registry
   * shares: made by `make` for the first, handed to the others. For state a page reads
   * (keyv/keyv-tally.ts), which must not grow with the instances an app instruments.
   */
  shared<T extends object>(kind: string, make: () => T): T {
    let states = sharedStates.get(this.families.gets);
    if (states === undefined) {
      states = new Map();
      sharedStates.set(this.families.gets, states);
    }
    const [backend, cache] = this.labels;
    const key = `${kind}\u0000${backend}\u0000${cache}`;
    let state = states.get(key) as T | undefined;
    if (state === undefined) {
      state = make();
      states.set(key, state);
    }
    return state;
  }

  /**
   * Runs `update` before any family of the key counts or of the operations is read: for calls
   * counted in variables of their own and added to the series then (keyv/keyv-tally.ts). Kept
   * for the families' life: an owner registers once per (backend, cache) (`shared`).
   */
  beforeRead(update: () => void): void {
    const { gets, hits, misses, sets, deletes, operations } = this.families;
    for (const family of [gets, hits, misses, sets, deletes, operations]) family.beforeRead(update);
  }

  /** The connected gauge reads `ready` at each scrape: 1 when the client takes commands. */
  watchConnection(ready: () => boolean): void {
    const [backend, cache] = this.labels;
    connectionProbes(this.families).set(`${backend}\u0000${cache}`, { backend, cache, ready });
  }

  reconnecting(): void {
    this.reconnectSeries.inc();
  }
}
