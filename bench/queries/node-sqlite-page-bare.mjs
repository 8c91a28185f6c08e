import { serveSqliteWorkload } from './sqlite-program.mjs';

// Read at run time: Node 20, which runs the build and its checks, has no node:sqlite to resolve.
const { DatabaseSync } = process.getBuiltinModule('node:sqlite');

await serveSqliteWorkload('page', (file) => new DatabaseSync(file));
