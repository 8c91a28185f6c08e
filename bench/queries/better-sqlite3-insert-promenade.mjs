import { instrumentBetterSqlite3 } from '@promenade/db';
import Database from 'better-sqlite3';
import { Registry } from 'prom-client';
import { serveSqliteWorkload } from './sqlite-program.mjs';

await serveSqliteWorkload('insert', (file) =>
  instrumentBetterSqlite3(new Database(file), { registry: new Registry(), alias: 'default' }),
);
