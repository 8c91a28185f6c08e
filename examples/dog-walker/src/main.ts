#!/usr/bin/env node
// The dog walker's executable entry: `node dist/main.mjs [--framework ...]`. See cli.ts.
import { main } from './cli.js';
import { exitWith } from './exit-with.js';

exitWith(main(process.argv.slice(2)));
