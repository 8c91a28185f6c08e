import type { CounterSeries } from '@promenade/core/adapter';
import type { CacheRecorder } from '../schema/cache-recorder.js';
import { STORE_COMMANDS } from '../schema/commands.js';

/** A running count and how much of it the series have. */
export class Tally {
  count = 0;
  private added = 0;

  /**
   * Adds what was counted since the last time to `series`. A count that went down (a get of
   * several keys takes back the one hit Keyv reports for all of them, possibly after a page was
   * read between the two) adds nothing until it has passed what was added: the series never go
   * back.
   */
  addTo(first: CounterSeries, second?: CounterSeries): number {
    const more = this.count - this.added;
    if (more <= 0) return 0;
    this.added = this.count;
    first.inc(more);
    second?.inc(more);
    return more;
  }
}

/**
 * What the in-memory Keyv instances instrumented under one (backend, cache) count per call:
 * plain additions to numbers of their own, as a get of an in-memory Map is so cheap that even
 * three series' additions and a hook handler were 3% of it (bench/RESULTS.md, "Instructions per
 * cache call"). One per (backend, cache) on a registry (`CacheRecorder.shared`). They reach the series
 * when a page is read, before it is: gets and get operations from the hits and misses, sets and
 * deletes with their operations.
 */
export class KeyvTally {
  readonly hits = new Tally();
  readonly misses = new Tally();
  readonly sets = new Tally();
  readonly deletes = new Tally();

  constructor(recorder: CacheRecorder) {
    const keys = recorder.keys;
    const getOperations = recorder.operations(STORE_COMMANDS.get);
    const setOperations = recorder.operations(STORE_COMMANDS.set);
    const deleteOperations = recorder.operations(STORE_COMMANDS.delete);
    recorder.beforeRead(() => {
      const looked = this.hits.addTo(keys.hits) + this.misses.addTo(keys.misses);
      if (looked > 0) {
        keys.gets.inc(looked);
        getOperations.inc(looked);
      }
      this.sets.addTo(keys.sets, setOperations);
      this.deletes.addTo(keys.deletes, deleteOperations);
    });
  }

  /**
   * Keyv 5's get of several keys answered `values` (undefined: a miss). It told its stats manager
   * one hit() for all of them when there were any: that one is taken back, each key counted.
   */
  gotMany(values: unknown): void {
    if (!Array.isArray(values) || values.length === 0) return;
    this.hits.count--;
    for (const value of values) {
      if (value === undefined) this.misses.count++;
      else this.hits.count++;
    }
  }
}
