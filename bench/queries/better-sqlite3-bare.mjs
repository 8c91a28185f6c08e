import { serveBenchLoop } from '../lib/loop-child.mjs';
import { betterSqlite3Queries } from './better-sqlite3-database.mjs';

await serveBenchLoop(() => betterSqlite3Queries());
