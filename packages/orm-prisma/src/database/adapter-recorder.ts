import type { CounterSeries } from '@promenade/core/adapter';
import { createDatabaseSource, type DatabaseSource, type StatementSeries } from '@promenade/db';
import { defineRowsFamilies, type RowsFamilies } from '../model-operations/model-metrics.js';
import type { ResolvedAdapterOptions } from '../options.js';
import { AdapterStatement } from './adapter-statement.js';
import { databaseSystemOf } from './database-system.js';
import type { PoolLike } from './driver-adapter-types.js';
import { prismaErrorType } from './driver-error-type.js';
import { modelWriteOf, type RowsFamily, tablesOf } from './model-tables.js';

/** Write statement texts whose model a recorder keeps; past it, each is read again. */
const MAX_CACHED_WRITES = 2_000;

const ROWS_FAMILIES: readonly RowsFamily[] = ['inserts', 'updates', 'upserts', 'deletes'];

/**
 * Everything one wrapped adapter factory records: statements on @promenade/db's schema
 * (`db_system`, `alias`, `operation`), and, when it was given the models, rows written per
 * model on the extension's rows families. A read costs the operation's look-up and one Map
 * look-up by object; a write, a look-up of its text.
 */
export class AdapterRecorder {
  readonly source: DatabaseSource;
  private readonly tables: ReadonlyMap<string, string> | undefined;
  private readonly rows: RowsFamilies | undefined;
  private readonly plain = new Map<StatementSeries, AdapterStatement>();
  private readonly writes = new Map<string, AdapterStatement>();
  private readonly rowsSeries = new Map<string, CounterSeries>();
  private readonly pools = new Map<PoolLike, { users: number; untrack: () => void }>();

  constructor(options: ResolvedAdapterOptions, provider: string) {
    this.source = createDatabaseSource(databaseSystemOf(provider), options.database, prismaErrorType);
    if (options.models) {
      this.tables = tablesOf(options.models);
      this.rows = defineRowsFamilies(options);
      // The rows series of every model start at 0, as the extension's do.
      for (const model of new Set(this.tables.values())) {
        for (const family of ROWS_FAMILIES) this.rowsOf(family, model);
      }
    }
  }

  statement(sql: string): AdapterStatement {
    const series = this.source.statement(sql);
    if (this.tables) {
      const label = series.operation.label;
      if (label === 'INSERT' || label === 'UPDATE' || label === 'DELETE') {
        return this.writes.get(sql) ?? this.addWrite(sql, series, label, this.tables);
      }
    }
    return this.plain.get(series) ?? this.addPlain(series);
  }

  /** Reads the pool's counts at scrape time; a pool several adapters share is read once. */
  addPool(pool: PoolLike): boolean {
    const tracked = this.pools.get(pool);
    if (tracked) {
      tracked.users++;
      return false;
    }
    const untrack = this.source.trackPool({
      total: () => pool.totalCount,
      idle: () => pool.idleCount,
      pending: () => pool.waitingCount,
    });
    this.pools.set(pool, { users: 1, untrack });
    return true;
  }

  /** True when the pool's last adapter is gone and its counts are no longer read. */
  removePool(pool: PoolLike): boolean {
    const tracked = this.pools.get(pool);
    if (!tracked) return false;
    if (--tracked.users > 0) return false;
    tracked.untrack();
    this.pools.delete(pool);
    return true;
  }

  private addPlain(series: StatementSeries): AdapterStatement {
    const statement = new AdapterStatement(this.source, series, undefined);
    this.plain.set(series, statement);
    return statement;
  }

  private addWrite(
    sql: string,
    series: StatementSeries,
    operation: string,
    tables: ReadonlyMap<string, string>,
  ): AdapterStatement {
    const write = modelWriteOf(sql, operation, tables);
    // A write to a table that is no model's is kept too, so its text is read once.
    const statement = write
      ? new AdapterStatement(this.source, series, this.rowsOf(write.family, write.model))
      : (this.plain.get(series) ?? this.addPlain(series));
    if (this.writes.size < MAX_CACHED_WRITES) this.writes.set(sql, statement);
    return statement;
  }

  private rowsOf(family: RowsFamily, model: string): CounterSeries {
    const key = `${family}\u0000${model}`;
    let series = this.rowsSeries.get(key);
    if (!series) {
      series = this.rows![family].series([model]);
      this.rowsSeries.set(key, series);
    }
    return series;
  }
}
