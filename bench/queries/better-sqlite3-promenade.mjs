import { instrumentBetterSqlite3 } from '@promenade/db';
import { Registry } from 'prom-client';
import { serveBenchLoop } from '../lib/loop-child.mjs';
import { betterSqlite3Queries } from './better-sqlite3-database.mjs';

await serveBenchLoop(() =>
  betterSqlite3Queries((db) => instrumentBetterSqlite3(db, { registry: new Registry(), alias: 'default' })),
);
