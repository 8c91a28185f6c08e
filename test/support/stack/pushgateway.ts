import { join } from 'node:path';
import { answers, fetchText } from './http.js';
import { freePort, makeDataDir, readyOrStop, requireBinary, spawnDaemon, waitUntil } from './process.js';
import type { StackDaemon } from './types.js';

export interface PushgatewayHandle extends StackDaemon {
  /** The Pushgateway's own exposition page: every pushed group plus its push_time_seconds. */
  metrics(): Promise<string>;
}

/**
 * Real Pushgateway on a free loopback port. Push to `${url}/metrics/job/<job>`; a Prometheus that
 * scrapes it needs `honor_labels: true` to keep the pushed job and instance labels.
 */
export async function startPushgateway(options: { timeoutMs?: number } = {}): Promise<PushgatewayHandle> {
  const { timeoutMs = 30_000 } = options;
  const binary = requireBinary('prometheus-pushgateway', 'prometheus-pushgateway');
  const dir = makeDataDir('pushgateway');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const daemon = spawnDaemon(
    'pushgateway',
    binary,
    [`--web.listen-address=127.0.0.1:${port}`, `--persistence.file=${join(dir, 'metrics.store')}`],
    { dir },
  );
  await readyOrStop(daemon, () =>
    waitUntil('Pushgateway /-/ready', daemon, () => answers(`${url}/-/ready`), timeoutMs),
  );
  return {
    url,
    port,
    pid: daemon.pid,
    dir,
    metrics: () => fetchText(`${url}/metrics`),
    stop: () => daemon.stop(),
  };
}
