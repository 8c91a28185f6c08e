import Database from 'better-sqlite3';
import { serveSqliteWorkload } from './sqlite-program.mjs';

await serveSqliteWorkload('insert', (file) => new Database(file));
