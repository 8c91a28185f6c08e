/** One row of `_prisma_migrations`, as far as a status or a check of the applied files needs it. */
export interface MigrationRow {
  readonly migrationName: string;
  /** sha256 of the migration.sql that ran, in lowercase hex, as Prisma records it. */
  readonly checksum: string;
  readonly finished: boolean;
  readonly rolledBack: boolean;
}
