import Database from 'better-sqlite3';
import { serveSqliteWorkload } from './sqlite-program.mjs';

await serveSqliteWorkload('page', (file) => new Database(file));
