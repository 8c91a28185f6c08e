import { gauge } from '@promenade/core';
import type { Gauge } from 'prom-client';
import { DB_METRIC_NAMES } from '../metric-names.js';
import type { ResolvedOptions } from '../options.js';

/** What the gauges read of a pool, at scrape time. */
export interface PoolCounts {
  /** Connections open, in use or idle. */
  total(): number;
  idle(): number;
  /** Callers waiting for a connection. */
  pending(): number;
}

interface TrackedPools {
  readonly system: string;
  readonly alias: string;
  readonly pools: Set<PoolCounts>;
}

/** (db_system, alias) -> pools, shared by the gauges of one registry and prefix. */
type PoolState = Map<string, TrackedPools>;

// Keyed by the gauge objects, so whichever wrapper registered a gauge first, its collect finds
// the pools every later wrapper adds.
const stateOf = new WeakMap<object, PoolState>();

function sumOf(pools: Set<PoolCounts>, read: (pool: PoolCounts) => number): number {
  let sum = 0;
  for (const pool of pools) sum += read(pool);
  return sum;
}

function defineGauges(options: ResolvedOptions): PoolState {
  const connections = gauge({
    name: options.prefix + DB_METRIC_NAMES.connectionCount,
    help: 'Connections in the database pool, by state (idle, used).',
    labelNames: ['db_system', 'alias', 'state'],
    registry: options.registry,
    collect(this: Gauge) {
      for (const { system, alias, pools } of stateOf.get(this)?.values() ?? []) {
        const idle = sumOf(pools, (p) => p.idle());
        this.labels({ db_system: system, alias, state: 'idle' }).set(idle);
        this.labels({ db_system: system, alias, state: 'used' }).set(sumOf(pools, (p) => p.total()) - idle);
      }
    },
  });
  const pending = gauge({
    name: options.prefix + DB_METRIC_NAMES.pendingRequests,
    help: 'Requests waiting for a connection from the database pool.',
    labelNames: ['db_system', 'alias'],
    registry: options.registry,
    collect(this: Gauge) {
      for (const { system, alias, pools } of stateOf.get(this)?.values() ?? []) {
        this.labels({ db_system: system, alias }).set(sumOf(pools, (p) => p.pending()));
      }
    },
  });
  const state = stateOf.get(connections) ?? new Map();
  stateOf.set(connections, state);
  stateOf.set(pending, state);
  return state;
}

/**
 * Starts reading a pool's counts at every scrape (nothing is sampled between scrapes); the
 * gauges are registered with the first pool, so a database without one (SQLite) exposes none
 * rather than a constant 0. Returns the function that stops reading it (when the pool ends;
 * its series stay, at 0 once no pool of its alias is left).
 */
export function trackPool(options: ResolvedOptions, system: string, pool: PoolCounts): () => void {
  const state = defineGauges(options);
  const key = `${system}\u0000${options.alias}`;
  let tracked = state.get(key);
  if (!tracked) {
    tracked = { system, alias: options.alias, pools: new Set() };
    state.set(key, tracked);
  }
  tracked.pools.add(pool);
  const pools = tracked.pools;
  return () => {
    pools.delete(pool);
  };
}
