import Database from 'better-sqlite3';
import { serveSqliteWorkload } from './sqlite-program.mjs';

await serveSqliteWorkload('point', (file) => new Database(file));
