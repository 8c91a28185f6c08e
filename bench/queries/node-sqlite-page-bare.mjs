import { DatabaseSync } from 'node:sqlite';
import { serveSqliteWorkload } from './sqlite-program.mjs';

await serveSqliteWorkload('page', (file) => new DatabaseSync(file));
