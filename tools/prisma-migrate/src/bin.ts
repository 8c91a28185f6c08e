#!/usr/bin/env node
import { runMigrateCli } from './cli.js';

runMigrateCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
