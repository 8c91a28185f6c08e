/**
 * The server side of the harness: each bench/servers/*.mjs file calls `serveBenchApp` with a
 * function that starts its app. The parent passes the app's shape as JSON in argv[2] and talks
 * to the child over the IPC channel: it learns the port, asks for memory figures, stops it.
 * `start` resolves with `{ server, port, close }` (`server`: the Node HTTP server).
 */
export async function serveBenchApp(start) {
  const config = JSON.parse(process.argv[2] ?? '{}');
  const app = await start(config);
  // Node closes a connection idle for 5 s. The instruction count pauses between its two
  // batches of requests (and a request can take that long under valgrind): a connection closed
  // and opened again would be counted in the measured part of one run and not of another.
  if (config.keepAliveSeconds !== undefined) app.server.keepAliveTimeout = config.keepAliveSeconds * 1000;
  process.on('message', async (message) => {
    if (message.type === 'memory') process.send({ type: 'memory', id: message.id, ...memoryAfterGc() });
    if (message.type === 'stop') {
      await app.close();
      process.exit(0);
    }
  });
  process.send({ type: 'ready', port: app.port });
}

export function memoryAfterGc() {
  // Without --expose-gc the figures still come back, but include garbage not yet collected.
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
    globalThis.gc();
  }
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, heapTotal, external, arrayBuffers, collected: typeof globalThis.gc === 'function' };
}

/**
 * Promenade's options for a bench program: the scenario's (`config.promenade`), without the
 * process metrics when `config.processMetrics` is false (the instruction count turns the
 * timer-driven ones off in every program alike).
 */
export function promenadeOptions(config) {
  const options = { ...config.promenade };
  if (config.processMetrics === false) options.defaultMetrics = false;
  return options;
}
