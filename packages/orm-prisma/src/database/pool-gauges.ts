import { gauge } from '@promenade/core';
import type { Gauge } from 'prom-client';
import { PRISMA_METRIC_NAMES } from '../metric-names.js';
import type { ResolvedMetricsOptions } from '../options.js';
import type { PoolLike } from './driver-adapter-types.js';

interface TrackedPools {
  readonly vendor: string;
  readonly alias: string;
  /** Each pool with the number of adapters that use it (an external pool may serve several). */
  readonly pools: Map<PoolLike, number>;
}

/** Label key -> pools, shared by the three gauges of one registry and prefix. */
type PoolState = Map<string, TrackedPools>;

// Keyed by the gauge objects, so whichever definition registered a gauge first, its collect
// finds the pools every later tracker adds.
const stateOf = new WeakMap<object, PoolState>();

function poolGauge(
  options: ResolvedMetricsOptions,
  name: string,
  help: string,
  read: (pool: PoolLike) => number,
) {
  return gauge({
    name: options.prefix + name,
    help,
    labelNames: ['vendor', 'alias'],
    registry: options.registry,
    collect(this: Gauge<'vendor' | 'alias'>) {
      for (const { vendor, alias, pools } of stateOf.get(this)?.values() ?? []) {
        let sum = 0;
        for (const pool of pools.keys()) sum += read(pool);
        this.labels({ vendor, alias }).set(sum);
      }
    },
  });
}

/**
 * Connection-pool gauges read at scrape time from the pools adapters expose (pg.Pool's
 * totalCount, idleCount and waitingCount): nothing is sampled between scrapes. They are
 * registered when the first pool is found, so a driver without a pool (SQLite) exposes none
 * rather than a constant 0.
 */
export class PoolGauges {
  private tracked: TrackedPools | undefined;

  constructor(
    private readonly options: ResolvedMetricsOptions,
    private readonly vendor: string,
    private readonly alias: string,
  ) {}

  /** Starts reading this pool; true when no other adapter of this alias reads it already. */
  add(pool: PoolLike): boolean {
    this.tracked ??= this.register();
    const users = this.tracked.pools.get(pool) ?? 0;
    this.tracked.pools.set(pool, users + 1);
    return users === 0;
  }

  /** Stops reading this pool once its last adapter is gone; the series stays, at 0 if no pool is left. */
  remove(pool: PoolLike): boolean {
    if (!this.tracked) return false;
    const users = (this.tracked.pools.get(pool) ?? 0) - 1;
    if (users > 0) {
      this.tracked.pools.set(pool, users);
      return false;
    }
    this.tracked.pools.delete(pool);
    return true;
  }

  private register(): TrackedPools {
    const names = PRISMA_METRIC_NAMES;
    const { options, vendor, alias } = this;
    const gauges = [
      poolGauge(
        options,
        names.poolConnections,
        'Connections open in the database pool.',
        (p) => p.totalCount,
      ),
      poolGauge(
        options,
        names.poolIdleConnections,
        'Idle connections in the database pool.',
        (p) => p.idleCount,
      ),
      poolGauge(
        options,
        names.poolWaitingRequests,
        'Requests waiting for a connection from the database pool.',
        (p) => p.waitingCount,
      ),
    ];
    const state = stateOf.get(gauges[0]!) ?? new Map();
    for (const metric of gauges) stateOf.set(metric, state);
    const key = `${vendor}\u0000${alias}`;
    let tracked = state.get(key);
    if (!tracked) {
      tracked = { vendor, alias, pools: new Map() };
      state.set(key, tracked);
    }
    return tracked;
  }
}
