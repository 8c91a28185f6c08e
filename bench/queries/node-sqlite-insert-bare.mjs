import { DatabaseSync } from 'node:sqlite';
import { serveSqliteWorkload } from './sqlite-program.mjs';

await serveSqliteWorkload('insert', (file) => new DatabaseSync(file));
