// The demo's entry from its TypeScript sources, for PM2, which refuses a .ts script on Node 20:
// run with the repository's TypeScript loader in node_args.
import '../../src/main.ts';
