/**
 * The server side of the harness: each bench/servers/*.mjs file calls `serveBenchApp` with a
 * function that starts its app. The parent passes the app's shape as JSON in argv[2] and talks
 * to the child over the IPC channel: it learns the port, asks for memory figures, stops it.
 */
export async function serveBenchApp(start) {
  const config = JSON.parse(process.argv[2] ?? '{}');
  const server = await start(config);
  process.on('message', async (message) => {
    if (message.type === 'memory') process.send({ type: 'memory', id: message.id, ...memoryAfterGc() });
    if (message.type === 'stop') {
      await server.close();
      process.exit(0);
    }
  });
  process.send({ type: 'ready', port: server.port });
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
