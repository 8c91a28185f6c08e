import { DatabaseSync } from 'node:sqlite';
import { instrumentNodeSqlite } from '@promenade/db';
import { Registry } from 'prom-client';
import { serveSqliteWorkload } from './sqlite-program.mjs';

await serveSqliteWorkload('point', (file) =>
  instrumentNodeSqlite(new DatabaseSync(file), { registry: new Registry(), alias: 'default' }),
);
