import { instrumentNodeSqlite } from '@promenade/db';
import { Registry } from 'prom-client';
import { serveSqliteWorkload } from './sqlite-program.mjs';

// Read at run time: Node 20, which runs the build and its checks, has no node:sqlite to resolve.
const { DatabaseSync } = process.getBuiltinModule('node:sqlite');

await serveSqliteWorkload('insert', (file) =>
  instrumentNodeSqlite(new DatabaseSync(file), { registry: new Registry(), alias: 'default' }),
);
