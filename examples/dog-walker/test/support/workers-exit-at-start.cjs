// Preloaded (--require) into the demo's primary and, through process.execArgv, its workers: every
// worker ends before it could listen, standing for any crash at start-up.
if (require('node:cluster').isWorker) process.exit(3);
