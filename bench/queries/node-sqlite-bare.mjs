import { DatabaseSync } from 'node:sqlite';
import { serveSqliteWorkload } from './sqlite-program.mjs';

await serveSqliteWorkload('point', (file) => new DatabaseSync(file));
