import type { Registry } from 'prom-client';

/** Options every driver wrapper takes. */
export interface DatabaseMetricsOptions {
  /** Where metrics are registered. Default: prom-client's global registry. */
  registry?: Registry;
  /** Prepended to every metric name, e.g. `myapp_`. Default: none (names start with `db_`). */
  prefix?: string;
  /** Duration buckets in seconds. Default: 0.5 ms to 10 s. */
  buckets?: readonly number[];
  /** Label sets one metric may grow to before new ones are folded into `<overflow>`. Default: 10000. */
  maxLabelSets?: number;
  /** Names this database in the `alias` label, as Django's DATABASES key does. Default: `default`. */
  alias?: string;
  /**
   * Label operations with the table they name (`FROM`, `INTO`, `UPDATE`, `JOIN`... the first
   * one), at most `maxTables` tables per database, the rest folded into `<overflow>`. Costs a
   * scan of the statement up to its first table per new statement text. Default: false (the
   * `table` label is empty).
   */
  tables?: boolean;
  /** Tables one database may label before the rest are folded. Default: 100. */
  maxTables?: number;
}
