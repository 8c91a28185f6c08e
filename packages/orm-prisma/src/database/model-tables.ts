import { statementTable } from '@promenade/db';

/** The rows families a write statement feeds. */
export type RowsFamily = 'inserts' | 'updates' | 'upserts' | 'deletes';

/** The model a write statement changes, and which of its rows families it feeds. */
export interface ModelWrite {
  readonly model: string;
  readonly family: RowsFamily;
}

/** `INSERT ... ON CONFLICT ... DO UPDATE`: Prisma's native upsert (PostgreSQL, SQLite). */
const UPSERT = /\bon\s+conflict\b[\s\S]*\bdo\s+update\b/i;

/**
 * Table name -> model, from the `models` option: `Prisma.ModelName` (each model's table is its
 * name) or a record of model -> table for models mapped with `@@map`.
 */
export function tablesOf(models: readonly string[] | Readonly<Record<string, string>>): Map<string, string> {
  const tables = new Map<string, string>();
  if (Array.isArray(models)) for (const model of models) tables.set(model, model);
  else for (const [model, table] of Object.entries(models)) tables.set(table, model);
  return tables;
}

/**
 * What a write statement of Prisma's does to a model, read once per statement text: its first
 * table (Prisma qualifies it with the schema: `"public"."Dog"`, `` `main`.`Dog` ``) looked up
 * among the models' tables. A table that is no model's (an implicit many-to-many table,
 * `_prisma_migrations`, a raw statement's own table) is no model write.
 */
export function modelWriteOf(
  sql: string,
  operation: string,
  tables: ReadonlyMap<string, string>,
): ModelWrite | undefined {
  const qualified = statementTable(sql);
  if (qualified === undefined) return undefined;
  const model = tables.get(qualified) ?? tables.get(qualified.slice(qualified.lastIndexOf('.') + 1));
  if (model === undefined) return undefined;
  if (operation === 'INSERT') return { model, family: UPSERT.test(sql) ? 'upserts' : 'inserts' };
  if (operation === 'UPDATE') return { model, family: 'updates' };
  if (operation === 'DELETE') return { model, family: 'deletes' };
  return undefined;
}
