#!/usr/bin/env node
// The dog walker's executable entry: `node dist/main.mjs [--framework ...]`. See cli.ts.
import { main } from './cli.js';

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
