import { gauge } from '@promenade/core';
import type { Gauge } from 'prom-client';
import { register as globalRegistry } from 'prom-client';
import { PRISMA_METRIC_NAMES } from '../metric-names.js';
import type { MigrationMetricsOptions, MigrationStatus } from '../types.js';
import { readMigrationNames } from './migration-files.js';
import { resolveMigrationOptions } from './migration-options.js';
import { computeMigrationStatus } from './migration-status.js';
import { type MigrationStore, openMigrationStore } from './open-store.js';

/** One database whose status the gauges report, under its alias. */
interface StatusSource {
  readonly alias: string;
  current(): Promise<MigrationStatus | undefined>;
}

type Sources = Map<string, StatusSource>;

// Keyed by the gauge objects: whichever definition registered a gauge first, its collect
// reads the sources every later caller adds.
const sourcesOf = new WeakMap<object, Sources>();

function migrationGauge(
  name: string,
  help: string,
  options: MigrationMetricsOptions,
  pick: (s: MigrationStatus) => number,
) {
  return gauge({
    name: (options.prefix ?? '') + name,
    help,
    labelNames: ['alias'],
    registry: options.registry ?? globalRegistry,
    async collect(this: Gauge<'alias'>) {
      const sources = [...(sourcesOf.get(this)?.values() ?? [])];
      const statuses = await Promise.all(sources.map((source) => source.current()));
      sources.forEach((source, index) => {
        const status = statuses[index];
        if (status) this.labels({ alias: source.alias }).set(pick(status));
      });
    },
  });
}

/** What `createMigrationMetrics` returns. */
export interface MigrationMetrics {
  /** Reads the status now and returns it; the gauges show it at the next scrape. */
  refresh(): Promise<MigrationStatus>;
  /** Stops reporting this alias and closes the connection if it was opened from a URL. */
  close(): Promise<void>;
}

/**
 * `prisma_migrations_applied{alias}` and `prisma_migrations_pending{alias}`, read at scrape time
 * from `_prisma_migrations` against the migrations folder (django_migrations_applied/unapplied).
 * One read serves both gauges of a scrape. When the read fails, `onError` hears of it and the
 * gauges keep their last values, so a database hiccup never fails the scrape.
 */
export function createMigrationMetrics(options: MigrationMetricsOptions): MigrationMetrics {
  const resolved = resolveMigrationOptions(options);
  const alias = resolved.alias ?? 'default';
  const onError =
    resolved.onError ??
    ((error: unknown) =>
      process.emitWarning(
        `@promenade/orm-prisma: cannot read the migration status of "${alias}": ${String(error)}`,
      ));
  const gauges = [
    migrationGauge(
      PRISMA_METRIC_NAMES.migrationsApplied,
      'Migrations applied to the database, from _prisma_migrations.',
      resolved,
      (s) => s.applied.length,
    ),
    migrationGauge(
      PRISMA_METRIC_NAMES.migrationsPending,
      'Migrations in the migrations folder not applied to the database yet.',
      resolved,
      (s) => s.pending.length,
    ),
  ];

  let store: Promise<MigrationStore> | undefined;
  const read = async (): Promise<MigrationStatus> => {
    store ??= openMigrationStore(resolved.database, resolved.schema);
    const opened = await store.catch((error) => {
      store = undefined;
      throw error;
    });
    const [names, rows] = await Promise.all([readMigrationNames(resolved.migrationsPath), opened.readRows()]);
    return computeMigrationStatus(names, rows);
  };
  const refresh = () => read();
  // Both gauges of one scrape share one read, and one report of its failure.
  let inFlight: Promise<MigrationStatus | undefined> | undefined;
  const source: StatusSource = {
    alias,
    current() {
      inFlight ??= read()
        .catch((error: unknown) => {
          onError(error);
          return undefined;
        })
        .finally(() => {
          inFlight = undefined;
        });
      return inFlight;
    },
  };
  const sources = sourcesOf.get(gauges[0]!) ?? new Map();
  for (const metric of gauges) sourcesOf.set(metric, sources);
  sources.set(alias, source);

  return {
    refresh,
    async close() {
      if (sources.get(alias) === source) sources.delete(alias);
      for (const metric of gauges) metric.remove({ alias });
      const opened = await store?.catch(() => undefined);
      store = undefined;
      await opened?.close();
    },
  };
}
