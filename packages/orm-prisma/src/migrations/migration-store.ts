/** One row of `_prisma_migrations`, as far as the status needs it. */
export interface MigrationRow {
  readonly migrationName: string;
  readonly finished: boolean;
  readonly rolledBack: boolean;
}

/** Reads `_prisma_migrations` on one database, one implementation per provider. It never writes. */
export interface MigrationStore {
  /** The rows in the order they were started; undefined when the table does not exist yet. */
  readRows(): Promise<MigrationRow[] | undefined>;
  /** Closes the connection if the store opened it; a connection handed in stays open. */
  close(): Promise<void>;
}
